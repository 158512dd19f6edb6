"""Every paginator over a multi-page answer lands each record exactly once, GET and POST alike, and the
server bugs that would land wrong data (a repeated cursor, an empty page that says "more") fail loudly.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest

from extractors.errors import MalformedResponse
from extractors.paging import (
    Cursor,
    LinkHeader,
    NextUrl,
    OffsetLimit,
    PageNumber,
    PageRequest,
    RecordsAt,
    SinglePage,
    body_next_url_pages,
    link_header_pages,
    paginate,
    records,
)
from sandbox.http_base import ApiRequest, json_response
from tests.extractors.framework_servers import RoutedServer, body_form, body_json, client

RECORDS = [{"id": n, "spend": f"{n}.50"} for n in range(23)]
SIZE = 5
PAGES = 5  # ceil(23 / 5)


def window(offset: int, size: int = SIZE, rows: list[dict[str, Any]] = RECORDS) -> tuple[list[dict[str, Any]], bool]:
    page = rows[offset : offset + size]
    return page, offset + size < len(rows)


def fetch_all(server: RoutedServer, request: PageRequest, paginator: Any, at: Any = "data") -> list[dict[str, Any]]:
    with client() as http:
        return list(records(paginate(http, request, paginator, at)))


# -- each paginator, every record once --------------------------------------------------------------------


def test_cursor_in_body_sent_back_as_a_query_parameter(server: RoutedServer) -> None:
    def search(request: ApiRequest) -> Any:
        offset = int(request.param("pageToken") or 0)
        page, more = window(offset, int(request.param("pageSize") or 0))
        body: dict[str, Any] = {"results": page}
        if more:
            body["nextPageToken"] = str(offset + SIZE)
        return json_response(200, body)

    server.route("GET", "/search", search)
    got = fetch_all(
        server,
        PageRequest(f"{server.url}/search", {"pageSize": SIZE}),
        Cursor(cursor_path="nextPageToken", param="pageToken"),
        "results",
    )
    assert got == RECORDS
    assert len(server.paths()) == PAGES
    assert server.paths()[1] == "/search?pageSize=5&pageToken=5"


def test_graphql_cursor_in_a_post_json_body_gated_by_has_next_page(server: RoutedServer) -> None:
    bodies: list[Any] = []

    def graphql(request: ApiRequest) -> Any:
        body = body_json(request)
        bodies.append(body)
        offset = int(body["variables"]["after"] or "c0"[1:]) if body["variables"].get("after") else 0
        page, more = window(offset, body["variables"]["first"])
        info = {"hasNextPage": more, "endCursor": str(offset + len(page))}
        return json_response(200, {"data": {"orders": {"nodes": page, "pageInfo": info}}})

    server.route("POST", "/admin/api/2025-01/graphql.json", graphql)
    query = (
        "query($first:Int!,$after:String){orders(first:$first,after:$after){nodes{id} pageInfo{hasNextPage endCursor}}}"
    )
    got = fetch_all(
        server,
        PageRequest(
            f"{server.url}/admin/api/2025-01/graphql.json",
            method="POST",
            json={"query": query, "variables": {"first": SIZE, "after": None}},
        ),
        Cursor(
            cursor_path="data.orders.pageInfo.endCursor",
            param="variables.after",
            has_more_path="data.orders.pageInfo.hasNextPage",
        ),
        "data.orders.nodes",
    )
    assert got == RECORDS
    assert [b["variables"]["after"] for b in bodies] == [None, "5", "10", "15", "20"]
    assert all(b["query"] == query and b["variables"]["first"] == SIZE for b in bodies)


def test_has_more_flag_and_cursor_douyin_style(server: RoutedServer) -> None:
    def videos(request: ApiRequest) -> Any:
        cursor = int(request.param("cursor") or 0)
        page, more = window(cursor // 1000, int(request.param("count") or 0))
        # Douyin keeps handing out a cursor on the last page; only has_more says stop.
        data = {"list": page, "cursor": (cursor // 1000 + SIZE) * 1000, "has_more": more, "error_code": 0}
        return json_response(200, {"data": data, "extra": {"error_code": 0, "logid": "L"}})

    server.route("GET", "/video/list/", videos)
    got = fetch_all(
        server,
        PageRequest(f"{server.url}/video/list/", {"open_id": "o1", "cursor": 0, "count": SIZE}),
        Cursor(cursor_path="data.cursor", param="cursor", has_more_path="data.has_more"),
        "data.list",
    )
    assert got == RECORDS
    assert len(server.paths()) == PAGES


def test_next_url_in_body_and_the_legacy_helper(server: RoutedServer) -> None:
    def insights(request: ApiRequest) -> Any:
        offset = int(request.param("after") or 0)
        page, more = window(offset, int(request.param("limit") or 0))
        paging: dict[str, Any] = {"cursors": {"after": str(offset + SIZE)}}
        if more:
            paging["next"] = f"{request.base_url}{request.path}?{urlencode({'limit': SIZE, 'after': offset + SIZE})}"
        return json_response(200, {"data": page, "paging": paging})

    server.route("GET", "/v21.0/act_1/insights", insights)
    url = f"{server.url}/v21.0/act_1/insights"
    assert fetch_all(server, PageRequest(url, {"limit": SIZE}), NextUrl(), "data") == RECORDS
    with client() as http:
        pages = list(body_next_url_pages(http, url, {"limit": SIZE}))
    assert [len(page.records) for page in pages] == [5, 5, 5, 5, 3]
    assert list(records(pages)) == RECORDS


def test_page_number_with_total_pages_tiktok_style(server: RoutedServer) -> None:
    def report(request: ApiRequest) -> Any:
        page_number, size = int(request.param("page") or 0), int(request.param("page_size") or 0)
        page, _ = window((page_number - 1) * size, size)
        info = {"page": page_number, "page_size": size, "total_number": len(RECORDS), "total_page": PAGES}
        return json_response(200, {"code": 0, "message": "OK", "data": {"list": page, "page_info": info}})

    server.route("GET", "/open_api/v1.3/report/integrated/get/", report)
    got = fetch_all(
        server,
        PageRequest(f"{server.url}/open_api/v1.3/report/integrated/get/", {"advertiser_id": "1"}),
        PageNumber(
            param="page",
            size_param="page_size",
            size=SIZE,
            total_pages_path="data.page_info.total_page",
            page_path="data.page_info.page",
        ),
        "data.list",
    )
    assert got == RECORDS
    assert [p.split("page=")[1] for p in server.paths()] == ["1&page_size=5", "2&page_size=5", "3&page_size=5",
                                                             "4&page_size=5", "5&page_size=5"]  # fmt: skip


def test_page_number_with_total_items_in_a_post_json_body_xiaohongshu_style(server: RoutedServer) -> None:
    asked: list[int] = []

    def offline(request: ApiRequest) -> Any:
        body = body_json(request)
        asked.append(body["page_num"])
        page, _ = window((body["page_num"] - 1) * body["page_size"], body["page_size"])
        return json_response(200, {"success": True, "code": 0, "data": {"data_list": page, "total_count": "23"}})

    server.route("POST", "/api/open/jg/data/report/offline/campaign", offline)
    got = fetch_all(
        server,
        PageRequest(
            f"{server.url}/api/open/jg/data/report/offline/campaign",
            method="POST",
            json={"advertiser_id": 9, "start_date": "2026-11-01", "end_date": "2026-11-07", "time_unit": "DAY"},
        ),
        PageNumber(param="page_num", size_param="page_size", size=SIZE, total_items_path="data.total_count"),
        "data.data_list",
    )
    assert got == RECORDS and asked == [1, 2, 3, 4, 5]


def test_zero_based_page_number_with_total_douyin_shop_style(server: RoutedServer) -> None:
    def search(request: ApiRequest) -> Any:
        body = body_json(request)
        page, _ = window(body["page"] * body["size"], body["size"])
        return json_response(200, {"code": 10000, "data": {"shop_order_list": page, "total": len(RECORDS)}})

    server.route("POST", "/order/searchList", search)
    got = fetch_all(
        server,
        PageRequest(f"{server.url}/order/searchList", method="POST", json={"order_by": "update_time"}),
        PageNumber(param="page", start=0, size_param="size", size=SIZE, total_items_path="data.total"),
        "data.shop_order_list",
    )
    assert got == RECORDS and len(server.paths()) == PAGES


def test_page_number_with_has_next_in_a_form_post_taobao_style(server: RoutedServer) -> None:
    def router(request: ApiRequest) -> Any:
        form = body_form(request)
        page, more = window((int(form["page_no"]) - 1) * int(form["page_size"]), int(form["page_size"]))
        return json_response(200, {"trades_sold_get_response": {"has_next": more, "trades": {"trade": page}}})

    server.route("POST", "/router/rest", router)
    got = fetch_all(
        server,
        PageRequest(
            f"{server.url}/router/rest",
            method="POST",
            data={"method": "taobao.trades.sold.get", "use_has_next": "true"},
        ),
        PageNumber(
            param="page_no", size_param="page_size", size=SIZE, has_more_path="trades_sold_get_response.has_next"
        ),
        "trades_sold_get_response.trades.trade",
    )
    assert got == RECORDS and len(server.paths()) == PAGES


@pytest.mark.parametrize(("rows", "total", "requests"), [(23, True, 5), (23, False, 5), (20, True, 4), (20, False, 5)])
def test_offset_limit(server: RoutedServer, rows: int, total: bool, requests: int) -> None:
    data = RECORDS[:rows]

    def items(request: ApiRequest) -> Any:
        page, _ = window(int(request.param("offset") or 0), int(request.param("limit") or 0), data)
        return json_response(200, {"items": page, **({"total": rows} if total else {})})

    server.route("GET", "/items", items)
    got = fetch_all(
        server,
        PageRequest(f"{server.url}/items"),
        OffsetLimit(limit=SIZE, total_path="total" if total else None),
        "items",
    )
    assert got == data
    # Without a total, a full last page costs one more request, whose empty answer ends the paging.
    assert len(server.paths()) == requests


def test_link_header_and_the_legacy_helper(server: RoutedServer) -> None:
    def orders(request: ApiRequest) -> Any:
        offset = int(request.param("page_info") or 0)
        page, more = window(offset, int(request.param("limit") or 0))
        headers = {}
        if more:
            headers["Link"] = f'<{request.base_url}{request.path}?limit={SIZE}&page_info={offset + SIZE}>; rel="next"'
        return json_response(200, {"orders": page}, headers)

    server.route("GET", "/admin/api/2025-01/orders.json", orders)
    url = f"{server.url}/admin/api/2025-01/orders.json"
    assert fetch_all(server, PageRequest(url, {"limit": SIZE, "status": "any"}), LinkHeader(), "orders") == RECORDS
    with client() as http:
        assert list(records(link_header_pages(http, url, {"limit": SIZE}, records_key="orders"))) == RECORDS
    # Follow-up pages carry only what the link says: the filters are not sent again.
    assert server.paths()[1] == "/admin/api/2025-01/orders.json?limit=5&page_info=5"


# -- where the records are ------------------------------------------------------------------------------


def test_flattened_sub_lists_keep_their_parents_fields_wechat_style(server: RoutedServer) -> None:
    answer = {
        "list": [
            {"ref_date": "2026-11-01", "msgid": "100_1", "detail_list": [{"stat_date": "2026-11-01", "read_user": 5},
                                                                          {"stat_date": "2026-11-02", "read_user": 3}]},
            {"ref_date": "2026-11-01", "msgid": "100_2", "detail_list": []},
            {"ref_date": "2026-11-02", "msgid": "101_1", "detail_list": [{"stat_date": "2026-11-02", "read_user": 9}]},
        ],
        "is_delay": False,
    }  # fmt: skip
    server.route("POST", "/datacube/getarticletotaldetail", lambda r: json_response(200, answer))
    got = fetch_all(
        server,
        PageRequest(f"{server.url}/datacube/getarticletotaldetail", method="POST", json={"begin_date": "2026-11-01"}),
        SinglePage(),
        RecordsAt("list[*].detail_list", inherit=("msgid", "ref_date")),
    )
    assert got == [
        {"msgid": "100_1", "ref_date": "2026-11-01", "stat_date": "2026-11-01", "read_user": 5},
        {"msgid": "100_1", "ref_date": "2026-11-01", "stat_date": "2026-11-02", "read_user": 3},
        {"msgid": "101_1", "ref_date": "2026-11-02", "stat_date": "2026-11-02", "read_user": 9},
    ]


def test_bare_array_bodies_google_search_stream_style(server: RoutedServer) -> None:
    batches = [
        {"results": RECORDS[:10], "fieldMask": "campaign.id", "requestId": "r"},
        {"results": RECORDS[10:], "requestId": "r"},
        {"fieldMask": "campaign.id", "requestId": "r"},  # a batch without rows has no ``results`` at all
    ]
    server.route("POST", "/stream", lambda r: json_response(200, batches))
    server.route("GET", "/rows", lambda r: json_response(200, RECORDS))
    stream = PageRequest(f"{server.url}/stream", method="POST", json={"query": "q"})
    assert fetch_all(server, stream, SinglePage(), RecordsAt("[*].results", optional=True)) == RECORDS
    assert fetch_all(server, PageRequest(f"{server.url}/rows"), SinglePage(), "") == RECORDS
    with pytest.raises(MalformedResponse, match=r"'\[\*\]\.results' is missing"):
        fetch_all(server, stream, SinglePage(), "[*].results")


def test_a_missing_or_wrongly_shaped_records_key_fails(server: RoutedServer) -> None:
    server.route("GET", "/a", lambda r: json_response(200, {"code": 0, "data": {"page_info": {}}}))
    server.route("GET", "/b", lambda r: json_response(200, {"code": 0, "data": {"list": [1, 2]}}))
    server.route("GET", "/c", lambda r: json_response(200, {"code": 0, "data": {"list": None}}))
    with pytest.raises(MalformedResponse, match=r"'data\.list' is missing; got keys \['page_info'\]"):
        fetch_all(server, PageRequest(f"{server.url}/a"), SinglePage(), "data.list")
    with pytest.raises(MalformedResponse, match=r"'data\.list' is not a list of objects"):
        fetch_all(server, PageRequest(f"{server.url}/b"), SinglePage(), "data.list")
    with pytest.raises(MalformedResponse, match=r"'data\.list' is null"):
        fetch_all(server, PageRequest(f"{server.url}/c"), SinglePage(), "data.list")
    assert fetch_all(server, PageRequest(f"{server.url}/c"), SinglePage(), RecordsAt("data.list", optional=True)) == []


# -- server bugs that must not land wrong data -------------------------------------------------------------


def test_an_empty_page_with_a_next_cursor_fails(server: RoutedServer) -> None:
    def search(request: ApiRequest) -> Any:
        offset = int(request.param("pageToken") or 0)
        page = RECORDS[:SIZE] if offset == 0 else []
        return json_response(200, {"results": page, "nextPageToken": str(offset + SIZE)})

    server.route("GET", "/search", search)
    landed: list[dict[str, Any]] = []
    with client() as http, pytest.raises(MalformedResponse, match="empty page with a next link") as info:
        for record in records(
            paginate(http, PageRequest(f"{server.url}/search"), Cursor("nextPageToken", "pageToken"), "results")
        ):
            landed.append(record)
    assert landed == RECORDS[:SIZE] and "pageToken=5" in str(info.value)


def test_an_empty_page_while_the_total_says_more_fails(server: RoutedServer) -> None:
    def report(request: ApiRequest) -> Any:
        page_number = int(request.param("page") or 0)
        page = RECORDS[:SIZE] if page_number == 1 else []
        info = {"page": page_number, "total_page": PAGES}
        return json_response(200, {"code": 0, "data": {"list": page, "page_info": info}})

    server.route("GET", "/report", report)
    with pytest.raises(MalformedResponse, match="empty page with a next link"):
        fetch_all(
            server,
            PageRequest(f"{server.url}/report"),
            PageNumber(total_pages_path="data.page_info.total_page"),
            "data.list",
        )
    assert len(server.paths()) == 2


def test_an_empty_page_with_a_link_header_fails(server: RoutedServer) -> None:
    def orders(request: ApiRequest) -> Any:
        return json_response(200, {"orders": []}, {"Link": f'<{request.base_url}/orders?page_info=x>; rel="next"'})

    server.route("GET", "/orders", orders)
    with client() as http, pytest.raises(MalformedResponse, match="empty page with a next link"):
        list(link_header_pages(http, f"{server.url}/orders", {}, records_key="orders"))


def test_a_repeated_cursor_fails_instead_of_looping(server: RoutedServer) -> None:
    server.route("GET", "/search", lambda r: json_response(200, {"results": RECORDS[:SIZE], "nextPageToken": "stuck"}))
    with pytest.raises(MalformedResponse, match="the server returned a page cursor it already gave"):
        fetch_all(server, PageRequest(f"{server.url}/search"), Cursor("nextPageToken", "pageToken"), "results")
    assert len(server.paths()) == 2


def test_a_server_answering_another_page_than_asked_fails(server: RoutedServer) -> None:
    def report(request: ApiRequest) -> Any:
        info = {"page": 1, "total_page": PAGES}  # always page 1, whatever was asked
        return json_response(200, {"code": 0, "data": {"list": RECORDS[:SIZE], "page_info": info}})

    server.route("GET", "/report", report)
    paginator = PageNumber(total_pages_path="data.page_info.total_page", page_path="data.page_info.page")
    with pytest.raises(MalformedResponse, match="asked for page 2, the server answered page 1"):
        fetch_all(server, PageRequest(f"{server.url}/report"), paginator, "data.list")


def test_has_more_without_a_cursor_fails(server: RoutedServer) -> None:
    server.route("GET", "/v", lambda r: json_response(200, {"data": {"list": RECORDS[:2], "has_more": True}}))
    with pytest.raises(MalformedResponse, match="'data.has_more' says there is more but 'data.cursor' gives no cursor"):
        fetch_all(
            server,
            PageRequest(f"{server.url}/v"),
            Cursor("data.cursor", "cursor", has_more_path="data.has_more"),
            "data.list",
        )


def test_paging_values_go_where_the_request_keeps_its_fields() -> None:
    get = PageRequest("http://x/a", {"q": 1})
    assert get.with_value("auto", "page", 2).params == {"q": 1, "page": 2}
    post = PageRequest("http://x/a", method="POST", json={"variables": {"first": 5}})
    assert post.with_value("auto", "variables.after", "c").json == {"variables": {"first": 5, "after": "c"}}
    assert post.json == {"variables": {"first": 5}}  # copies, never edits the caller's body
    form = PageRequest("http://x/a", method="POST", data={"m": "x"})
    assert form.with_value("auto", "page_no", 3).data == {"m": "x", "page_no": 3}
    assert form.with_value("params", "page_no", 3).params == {"page_no": 3}
