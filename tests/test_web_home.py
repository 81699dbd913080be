"""Home page: counts, meetings timeline, growth chart, members, search box."""
from __future__ import annotations

import pytest


def test_home_shows_the_graph_at_a_glance(client):
    r = client.get("/")
    assert r.status_code == 200 and r.mimetype == "text/html"
    html = r.get_data(as_text=True)
    assert 'id="counts"' in html and "Annual meeting" in html
    # timeline: place, hosts, participants, naturally written dates
    assert "Fifth annual meeting (Madrid, 2015)" in html and "23 June 2015" in html
    assert "Madrid" in html and "Chile" in html and "more than <span" in html and ">50<" in html
    # growth chart is inline SVG with both observations
    assert "<svg class=\"chart\"" in html and "June 2015" in html and "April 2017" in html
    # members and a search box with suggestions
    assert 'id="members"' in html and "/page/state/qatar" in html
    assert 'data-suggest="/search/suggest"' in html


def test_home_without_a_graph(make_app_client, tmp_path):
    r = make_app_client(DATA_DIR=str(tmp_path)).get("/")
    assert r.status_code == 200 and "No graph yet" in r.get_data(as_text=True)


def test_static_assets_are_local(client):
    html = client.get("/sparql", headers={"Accept": "text/html"}).get_data(as_text=True)
    html += client.get("/page/state/spain").get_data(as_text=True)
    assert "https://cdn" not in html and "unpkg" not in html
    for path in ("/static/app.css", "/static/app.js", "/static/vendor/yasgui/yasgui.min.js",
                 "/static/vendor/yasgui/yasgui.min.css", "/static/vendor/vis-network/vis-network.min.js",
                 "/static/vendor/yasgui/LICENSE", "/static/vendor/vis-network/LICENSE-MIT"):
        assert client.get(path).status_code == 200, path


def test_settings_are_documented():
    from r2pkg.webapp.settings import SETTINGS

    assert all(s.help and s.name.isupper() for s in SETTINGS)


@pytest.mark.parametrize("report", ["read", "missing"])
def test_home_counts_what_the_build_report_counts(make_app_client, built_data_dir, built_report, monkeypatch, report):
    """The home page's entities per class and statements are the build report's, class by class; a build without
    a report (a SPARQL server's) gets the same figures counted in the store."""
    import re

    from r2pkg.webapp.graphdata import GraphData

    if report == "missing":
        monkeypatch.setattr(GraphData, "_read_report", lambda self: {})
    html = make_app_client(DATA_DIR=str(built_data_dir)).get("/").get_data(as_text=True)
    table = html[html.index('id="counts"'):html.index('id="growth"')]
    shown = {cls: int(n.replace(",", "")) for cls, n in
             re.findall(r'/list/(\w+)\?named=yes" aria-label="([\d,]+) ', table)}
    assert shown == built_report.entities_per_class and shown["AnnualMeeting"] >= 4
    assert list(shown) == list(built_report.entities_per_class)      # most first, as the report lists them
    assert f"{built_report.total_quads:,} statements" in html


def test_a_home_page_with_many_meetings_shows_the_latest_and_links_to_all(make_app_client, built_data_dir,
                                                                           monkeypatch):
    """A corpus of news names meetings and the network's size by the hundred: the home page shows the latest
    meetings and a sample of the growth that spans it, and links to the lists of all of them."""
    import re

    from r2pkg.webapp import bp_home

    def timeline(html: str) -> list[str]:
        part = html[html.index('id="timeline"'):html.index('id="members"')]
        return re.findall(r'<div class="what"><a href="([^"]+)"', part)

    html = make_app_client(DATA_DIR=str(built_data_dir)).get("/").get_data(as_text=True)
    meetings = timeline(html)
    assert len(meetings) >= 4 and "all of them" not in html

    monkeypatch.setattr(bp_home, "MEETINGS_SHOWN", 2)
    monkeypatch.setattr(bp_home, "GROWTH_POINTS_SHOWN", 1)
    capped = make_app_client(DATA_DIR=str(built_data_dir)).get("/").get_data(as_text=True)
    assert timeline(capped) == meetings[-2:]
    assert f"The latest 2 of {len(meetings)} meetings" in capped and 'href="/list/Meeting"' in capped
    assert "1 of the 2 observations" in capped and 'href="/list/NetworkSizeObservation"' in capped


def test_the_growth_sample_keeps_the_first_and_the_latest_observation():
    from r2pkg.webapp.bp_home import GrowthPoint, evenly_sampled

    points = [GrowthPoint(str(year), str(year), year - 2000, None) for year in range(2005, 2026)]
    sample = evenly_sampled(points, 5)
    assert [p.label for p in sample] == ["2005", "2010", "2015", "2020", "2025"]
    assert evenly_sampled(points[:3], 5) == points[:3] and evenly_sampled(points, 1) == points[-1:]
