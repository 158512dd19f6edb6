"""The brief's own words in each configured language; each section keeps its words in its module."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "heading_daily": "Daily brief",
        "heading_weekly": "Weekly review",
        "subject_daily": "{brand} daily brief · {period}",
        "subject_weekly": "{brand} weekly review {period}",
        "subject_delayed": "{brand}: data delayed for {period}",
        "vs_previous_daily": "vs previous day",
        "vs_previous_weekly": "vs previous week",
        "vs_last_year": "vs last year",
        "delayed_body": (
            "The marts for {period} are not published yet, so the brief was not sent.\n"
            "Last published day: {last_day}.\nThe brief follows as soon as the data is published."
        ),
        "delayed_failure": "Failed stage: {stage}. {error}",
        "delayed_no_failure": "No run has failed since that publication: the data is late, not rejected.",
        "published": "Published by run {run_id}; figures in {currency}.",
        "never": "never",
        "no_data": "No {area} data for {period}.",
    },
    "zh-CN": {
        "heading_daily": "每日简报",
        "heading_weekly": "数据复盘（周报）",
        "subject_daily": "{brand} 每日简报 · {period}",
        "subject_weekly": "{brand} 周报 {period}",
        "subject_delayed": "{brand}：{period} 数据延迟",
        "vs_previous_daily": "环比",
        "vs_previous_weekly": "周环比",
        "vs_last_year": "同比",
        "delayed_body": (
            "{period} 的数据尚未发布，简报暂未发送。\n最近一次发布的日期：{last_day}。\n数据发布后将立即发送简报。"
        ),
        "delayed_failure": "失败环节：{stage}。{error}",
        "delayed_no_failure": "自上次发布以来没有运行失败：数据迟到，并非被拒。",
        "published": "数据发布批次 {run_id}；金额单位 {currency}。",
        "never": "无",
        "no_data": "{period} 暂无{area}数据。",
    },
}


def text(language: str, key: str, **values: object) -> str:
    return LABELS[language][key].format(**values)
