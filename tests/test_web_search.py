"""Search and type-ahead suggestions from the in-memory index."""
from __future__ import annotations


def test_search_ranks_exact_labels_first(client):
    r = client.get("/search?q=spain", headers={"Accept": "application/json"})
    hits = r.get_json()["hits"]
    assert hits[0]["iri"] == "https://w3id.org/r2pkg/id/state/spain" and hits[0]["url"] == "/page/state/spain"
    assert any(h["kind"] == "sentence" for h in hits)


def test_search_finds_alternative_labels(client):
    hits = client.get("/search?q=Kingdom of Spain&format=json").get_json()["hits"]
    assert hits[0]["iri"].endswith("/state/spain") and hits[0]["alt"] == "Kingdom of Spain"


def test_search_finds_sentences_linking_to_their_place(client):
    hits = client.get("/search?q=appointed focal point&format=json").get_json()["hits"]
    sentence = next(h for h in hits if h["kind"] == "sentence")
    assert sentence["url"].startswith("/document/2015-5th-annual-meeting-madrid#char=")
    assert "appointed" in sentence["text"]


def test_search_page_html(client):
    html = client.get("/search?q=welsh").get_data(as_text=True)
    assert "Jennifer Welsh" in html and "/page/person/jennifer-welsh" in html
    assert "Nothing found" in client.get("/search?q=zzzzqqq").get_data(as_text=True)
    assert client.get("/search").status_code == 200


def test_suggest_prefix_and_accent_folding(client):
    body = client.get("/search/suggest?q=qat").get_json()
    assert body["suggestions"][0]["label"] == "Qatar" and body["suggestions"][0]["type"]
    assert client.get("/search/suggest?q=MADR").get_json()["suggestions"][0]["label"] == "Madrid"
    assert client.get("/search/suggest?q=").get_json()["suggestions"] == []


def test_suggest_by_class_includes_subclasses(client):
    # r2p:Agent: states are agents through State -> Organization -> Agent
    labels = [s["label"] for s in client.get("/search/suggest?q=spa&class=r2p:Agent").get_json()["suggestions"]]
    assert labels == ["Spain"]
    labels = [s["label"] for s in client.get("/search/suggest?q=ma&class=r2p:Agent").get_json()["suggestions"]]
    assert "Madrid" not in labels
    labels = [s["label"] for s in client.get("/search/suggest?q=ma&class=r2p:City").get_json()["suggestions"]]
    assert labels == ["Madrid"]


def test_index_scores_only_candidates_but_finds_what_a_scan_finds():
    """The inverted index: prefixes by bisection, sentences through the word index, bands kept."""
    from r2pkg.webapp.search import SearchIndex

    index = SearchIndex.build(
        [("urn:e:spain", "Spain", ["Kingdom of Spain"], {"urn:c:State"}),
         ("urn:e:sparta", "Sparta", [], {"urn:c:City"}),
         ("urn:e:fm", "Ministry of Foreign Affairs", [], set())],
        [("urn:s:1", "urn:d:a", 10, 40, "Spain appointed a focal point."),
         ("urn:s:2", "urn:d:a", 0, 9, "Point focal."),
         ("urn:s:3", "urn:d:b", 0, 20, "The ministry spoke.")],
        {"urn:d:a": "A", "urn:d:b": "B"})
    assert [h.iri for h in index.search("spa", sentences=False)] == ["urn:e:spain", "urn:e:sparta"]
    assert index.search("kingdom of spain")[0].matched == "Kingdom of Spain"
    hits = [(h.iri, h.score) for h in index.search("focal point") if h.kind == "sentence"]
    assert hits == [("urn:s:1", 25.0), ("urn:s:2", 20.0)]           # the phrase first
    assert [h.iri for h in index.search("ministry zzz") if h.kind == "sentence"] == ["urn:s:3"]   # half the words
    assert [e.iri for e in index.named("KINGDOM of spain")] == ["urn:e:spain"]
    assert [e.iri for e in index.named("sparta")] == ["urn:e:sparta"]
    assert index.sentence("urn:s:2")[0].start == 0 and index.sentence("urn:s:9") == []


def test_a_short_page_of_hits_is_the_start_of_a_long_one():
    """Only the best `limit` entity hits are made (a common word matches thousands of labels in a large graph):
    a page of n hits is the first n of a longer one, ties in the same order, with the sentences where they rank."""
    from r2pkg.webapp.search import SearchIndex

    posts = [(f"urn:e:post-{i}", f"Focal Point of State {i % 7}", [], {"urn:c:Post"}) for i in range(40)]
    index = SearchIndex.build(
        posts + [("urn:e:fp", "Focal point", [], {"urn:c:Concept"}),
                 ("urn:e:office", "Office of the focal point network", [], set())],
        [(f"urn:s:{i}", "urn:d:a", i * 50, i * 50 + 40, f"The focal point of a state spoke ({i}).") for i in range(30)],
        {"urn:d:a": "A"})
    everything = index.search("focal point", limit=200)
    assert everything[0].iri == "urn:e:fp" and len(everything) == 72
    for n in (1, 5, 41, 45, 71):
        assert [(h.kind, h.iri, h.score) for h in index.search("focal point", limit=n)] == \
               [(h.kind, h.iri, h.score) for h in everything[:n]]


def test_a_rare_word_and_a_common_one_find_the_sentences_holding_both():
    """The sentences' word index intersects a rare word's few sentences with a common word's many by looking each
    up, and sets of similar size by reading them off: either way the hits are those a scan finds."""
    from r2pkg.webapp.search import SearchIndex, tokens

    texts = [f"The network met in session {i}." for i in range(200)]
    texts[17] = "The harbour network met in session 17."
    texts[150] = "A harbour of the network met in session 150."
    texts[60] = "Harbour pilots spoke."
    index = SearchIndex.build([], [(f"urn:s:{i}", "urn:d:a", i * 50, i * 50 + 40, t) for i, t in enumerate(texts)],
                              {"urn:d:a": "A"})

    def scanned(query: str) -> set[str]:
        *exact, last = tokens(query)
        return {f"urn:s:{i}" for i, t in enumerate(texts)
                if set(exact) <= set(tokens(t)) and any(w.startswith(last) for w in tokens(t))}

    for query in ("harbour network", "network harbour", "network harb", "harbour met session", "network session"):
        found = {h.iri for h in index.search(query, limit=500) if h.kind == "sentence" and h.score >= 20}
        assert found == scanned(query), query


def test_the_index_reads_every_sentence_as_the_store_holds_it(built_data_dir):
    """Each sentence's document and span come from its IRI (only its text is read): the same rows as reading
    all five of its statements."""
    import pyoxigraph as ox

    from r2pkg.graph.store import current_build, dataset_options
    from r2pkg.webapp.graphdata import _SENTENCES, _sentences

    store = ox.Store.read_only(str(current_build(built_data_dir).store))
    read_whole = [(r["sent"].value, r["doc"].value, int(r["start"].value), int(r["end"].value), r["exact"].value)
                  for r in store.query(_SENTENCES, **dataset_options(store))]
    assert len(read_whole) > 100
    assert sorted(_sentences(store)) == sorted(read_whole)


def test_sentences_named_otherwise_are_indexed_with_their_own_document_and_span():
    """A graph r2pkg did not build may name a sentence any way: its statements give its document and span."""
    import pyoxigraph as ox

    from r2pkg.webapp.graphdata import _sentences

    oa, xsd = "http://www.w3.org/ns/oa#", "http://www.w3.org/2001/XMLSchema#"
    doc = ox.NamedNode("https://example.org/report")
    offset = ox.NamedNode(xsd + "integer")
    store = ox.Store()
    for iri, start, end, text in (("https://example.org/report/sentence/1", 0, 20, "A first sentence here"),
                                  ("https://example.org/report#char=21,40", 21, 40, "A second one follows")):
        node = ox.NamedNode(iri)
        statements = {"http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
                      ox.NamedNode("https://w3id.org/r2pkg/ontology#Sentence"),
                      oa + "hasSource": doc, oa + "exact": ox.Literal(text),
                      oa + "start": ox.Literal(str(start), datatype=offset),
                      oa + "end": ox.Literal(str(end), datatype=offset)}
        store.extend(ox.Quad(node, ox.NamedNode(p), o) for p, o in statements.items())
    assert sorted(_sentences(store)) == [
        ("https://example.org/report#char=21,40", doc.value, 21, 40, "A second one follows"),
        ("https://example.org/report/sentence/1", doc.value, 0, 20, "A first sentence here")]
