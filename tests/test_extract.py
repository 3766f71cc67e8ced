"""Extraction: the story, in order, with headline and subheads, and no chrome."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import SAMPLES, run_cli
from papercast.errors import NoArticleError
from papercast.text.extract import extract
from papercast.text.inputs import Document, read_document
from papercast.text.script import load_article, sentences_of
from papercast.text.segment import split_sentences

SEED_CHROME = [
    "Trends-CA",
    "Listen to this article",
    "Estimated 5 minutes",
    "The audio version of this article",
    "WATCH |",
    "Belarus frees political prisoners in exchange for U.S. sanctions relief",
    "Belarus releases political prisoners as U.S. lifts sanctions on potash",
    "Belarus has freed more than 100 political prisoners, including a Nobel Peace Prize winner",
    "Exiled opposition leader on political prisoners in Belarus",
    "CBC News Network’s Hillary Johnstone speaks with",
    "(Thilo Schmuelgen/Reuters)",
    "holds a picture of her detained sister",
    "Get the latest on",
    "Related Articles",
    "Leave a Reply",
    "Required fields are marked",
    "Back to top button",
]
SEED_SUBHEADS = [
    "Not clear where freed prisoners will go",
    "Boost for Belarusian economy",
    "Lukashenko could help effort to end Ukraine war: envoy",
]


def script(path: Path) -> str:
    r = run_cli("script", str(path))
    assert r.code == 0, r.err
    return r.out


def test_seed_script_has_story_and_no_chrome(seed_path: Path) -> None:
    out = script(seed_path)
    for chrome in SEED_CHROME:
        assert chrome not in out, chrome
    assert (
        out.splitlines()[0]
        == "Belarus frees Nobel winner, top opposition figures as U.S. lifts more sanctions"
    )
    assert [line[3:] for line in out.splitlines() if line.startswith("## ")] == SEED_SUBHEADS


def test_seed_script_contains_every_body_sentence(seed_path: Path) -> None:
    raw = seed_path.read_text(encoding="utf-8").split("\n\n")
    body = [
        p.strip()
        for p in raw
        if len(p.split()) >= 12
        and not any(c in p for c in SEED_CHROME)
        and "holds a picture" not in p
        and "audio version" not in p
    ]
    assert len(body) >= 25
    lines = set(script(seed_path).splitlines())
    for para in body:
        for sentence in split_sentences(para):
            assert sentence in lines, sentence


STYLES = {
    "agency-drones.txt": {
        "title": "Farmers in Tamil Nadu turn to drone spraying as monsoon fails",
        "sections": [""],
        "with": [
            "Thanjavur, India — Rice farmers across the Cauvery delta",
            "“Regulation has not caught up,” she said.",
        ],
        "without": [
            "(CP)",
            "THANJAVUR",
            "ADVERTISEMENT",
            "CP Photo",
            "contributed to this report",
            "Copyright",
            "MORE FROM",
            "Link copied",
            "Flipboard",
            "By PRIYA",
            "Updated 4:12",
            "___",
        ],
    },
    "newsletter-tbilisi.txt": {
        "title": "Why I gave up my car in Tbilisi",
        "sections": ["", "The buses", "The cable car"],
        "with": ["When I sold my car last October", "the view never gets old."],
        "without": [
            "Subscribe",
            "Sign in",
            "Share this post",
            "Launched 2 years ago",
            "Notes on getting around",
            "Thanks for reading",
            "Likes",
            "Restacks",
            "Comments",
            "I did the same last spring",
            "Oct 3, 2026",
        ],
    },
    "broadcaster-lagoon.txt": {
        "title": "Council backs tidal lagoon as Ó Fearghail wins vote in Aberdaron",
        "sections": ["", "What happens next", "Money and the sea"],
        "with": ["Councillors in Gwynedd voted 31 to 12", "“the sea always gets a vote.”"],
        "without": [
            "Coastwatch-West",
            "Listen to this article",
            "Estimated 3 minutes",
            "audio version",
            "WATCH |",
            "Lagoon vote divides Aberdaron",
            "Fishing families and energy workers",
            "(Siôn Pritchard/Coastwatch)",
            "Get the latest on",
            "Related Articles",
            "Leave a Reply",
            "Back to top",
        ],
    },
    "wire-copper.txt": {
        "title": "Peru's copper output falls as Quellaveco mine halts after landslide",
        "sections": ["", "DRY SEASON RISKS"],
        "with": ["Lima — Copper production in Peru fell 8.2%", "“every truck is moving again.”"],
        "without": [
            "(Meridian News) -",
            "LIMA,",
            "3 Min Read",
            "Related Coverage",
            "Factbox:",
            "Reporting by",
            "Editing by",
            "Trust Principles",
            "All quotes delayed",
            "All Rights Reserved",
            "Discover",
        ],
    },
    "newspaper-library.txt": {
        "title": "Budapest's oldest library reopens after six-year restoration",
        "sections": ["", "Why the ceilings took so long"],
        "with": ["The Szabó Ervin library in Budapest reopened", "open until 10 p.m. on weekdays"],
        "without": [
            "Skip to main content",
            "Share on Facebook",
            "Photograph:",
            "The main reading room",
            "Advertisement",
            "Vienna's libraries are fighting",
            "Read more",
            "Topics",
            "Most popular",
            "All rights reserved",
            "Back to top",
            "Search the archive",
        ],
    },
    "blog-sourdough.txt": {
        "title": "Why my rye sourdough finally rose: a week with Ólafur's starter",
        "sections": ["", "The starter", "The bake"],
        "with": ["For three years my rye loaves", "without tearing."],
        "without": [
            "Share this",
            "Like this",
            "Loading",
            "14 Comments",
            "Niamh Ó Dálaigh",
            "I tried this with spelt",
            "skyr whey",
            "Leave a Reply",
            "Your email address",
            "Post Comment",
            "Home   About",
        ],
    },
}


@pytest.mark.parametrize("name", sorted(STYLES))
def test_site_styles(name: str) -> None:
    expect = STYLES[name]
    article = load_article(str(SAMPLES / name))
    assert article.title == expect["title"]
    assert [s.heading for s in article.sections] == expect["sections"]
    spoken = "\n".join(s.text for s in sentences_of(article))
    for s in expect["with"]:
        assert s in spoken, s
    for s in expect["without"]:
        assert s not in spoken, s


def test_dropped_blocks_keep_their_reasons() -> None:
    dropped = {
        d.text: d.reason for d in load_article(str(SAMPLES / "broadcaster-lagoon.txt")).dropped
    }
    assert dropped["Listen to this article"] == "audio player"
    assert dropped["WATCH | Why the Llŷn lagoon split a fishing village:"] == "video block"
    assert (
        dropped[
            "Fishing crews unload at Porth Colmon on the Llŷn peninsula in September. (Siôn "
            "Pritchard/Coastwatch)"
        ]
        == "photo caption with credit"
    )


@pytest.mark.parametrize("other", ["broadcaster-lagoon.html", "broadcaster-lagoon.md"])
def test_html_and_markdown_match_the_text_version(other: str) -> None:
    def shape(path: Path) -> list[tuple[int, str, str]]:
        a = load_article(str(path))
        return [(s.section, s.role, s.text) for s in sentences_of(a)]

    assert shape(SAMPLES / other) == shape(SAMPLES / "broadcaster-lagoon.txt")


def test_markdown_front_matter_links_images_and_code() -> None:
    a = load_article(str(SAMPLES / "broadcaster-lagoon.md"))
    assert (a.byline, a.date, a.site) == ("Morwenna Treharne", "2026-11-17", "Coastwatch-West")
    text = " ".join(p for s in a.sections for p in s.paragraphs)
    assert "off the Llŷn peninsula, handing" in text  # link read as its text
    assert (
        "](" not in text
        and "crews.jpg" not in text
        and "wall length" not in text
        and "**" not in text
    )


def test_html_metadata_and_no_scripts() -> None:
    a = load_article(str(SAMPLES / "broadcaster-lagoon.html"))
    assert a.title == "Council backs tidal lagoon as Ó Fearghail wins vote in Aberdaron"
    assert a.date == "2026-11-17"
    text = " ".join(p for s in a.sections for p in s.paragraphs)
    assert "analytics" not in text and "font-family" not in text and "Home" not in text


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        (
            "text",
            "Home\n\nNews\n\nSport\n\nShare on Facebook\n\nBack to top\n\n© 2026 Example. All "
            "rights reserved.",
        ),
        ("text", "   \n\n  \t\n"),
        (
            "html",
            "<html><head><title>x</title></head>"
            "<body><nav><a href='/'>Home</a></nav></body></html>",
        ),
        ("markdown", ""),
        ("markdown", "---\ntitle: Only a title\n---\n"),
    ],
)
def test_no_article_is_an_error(kind: str, text: str) -> None:
    with pytest.raises(NoArticleError, match="no article text found in page"):
        extract(Document(text=text, source="page", kind=kind))


def test_dateline_reduced_to_place() -> None:
    a = extract(
        Document(
            "Headline about copper output\n\nMINSK, Nov 14 (Reuters) - Copper output fell sharply "
            "in "
            "the third quarter, the ministry said on Monday.",
            "x",
            "text",
        )
    )
    assert a.sections[0].paragraphs[0].startswith("Minsk — Copper output fell")


@pytest.mark.parametrize("kind", ["text", "html"])
def test_a_dateline_outside_ascii_is_read_as_its_place_from_html_and_text(kind: str) -> None:
    body = (
        "PRZEMYŚL, Poland, Nov 14 (Reuters) - Trains to the border ran late on Friday after "
        "a signal failure near the station, the rail operator said in a statement."
    )
    text = f"Border trains run late\n\n{body}\n\nPassengers waited for two hours on the platform."
    if kind == "html":
        text = (
            "<html><head><title>Border trains run late</title></head><body><article>"
            f"<h1>Border trains run late</h1><p>{body}</p><p>Passengers waited for two hours "
            "on the platform.</p></article></body></html>"
        )
    a = extract(Document(text, "x", kind))
    first = a.sections[0].paragraphs[0]
    assert first.startswith("Przemyśl, Poland — Trains to the border")
    assert "Reuters" not in first and "Nov 14" not in first


def test_read_document_detects_html_from_content(tmp_path: Path) -> None:
    page = tmp_path / "saved"
    page.write_text(
        (SAMPLES / "broadcaster-lagoon.html").read_text(encoding="utf-8"), encoding="utf-8"
    )
    assert read_document(str(page)).kind == "html"


def _eval_pages(eval_dir: Path) -> list[str]:
    return sorted(p.stem for p in (eval_dir / "news-text").glob("*.txt"))


def _page_score(eval_dir: Path, folder: str, suffix: str, expect: str) -> int:
    import json

    cases = json.loads((eval_dir / expect / "expect.json").read_text(encoding="utf-8"))["cases"]
    passed = 0
    for case in cases:
        try:
            text = load_article(str(eval_dir / folder / (Path(case["file"]).stem + suffix))).text
        except NoArticleError:  # a page with nothing found scores its "must not contain" checks
            text = ""
        passed += sum(s in text for s in case["with"]) + sum(s not in text for s in case["without"])
    return passed


def test_real_pages_score(eval_dir: Path) -> None:
    """The shared real-page checks (trafilatura's evaluation strings) on both paths: the 12 pages
    the rules were written on, 40 more, and issue 24's web pages (the floors: the scores as they
    stand, so a change that loses a check fails here)."""
    scores = {
        folder: _page_score(eval_dir, folder, suffix, expect)
        for folder, suffix, expect in (
            ("news-html", ".html", "news-html"),
            ("news-text", ".txt", "news-html"),
            ("news-html-more", ".html", "news-html-more"),
            ("news-text-more", ".txt", "news-html-more"),
            ("web-html", ".html", "web-html"),
            ("web-text", ".txt", "web-html"),
        )
        if (eval_dir / expect / "expect.json").is_file()
    }
    assert scores["news-html"] >= 71 and scores["news-text"] >= 71, scores
    if "news-html-more" in scores:
        assert scores["news-html-more"] >= 235 and scores["news-text-more"] >= 230, scores
    if "web-html" in scores:  # issue 24's web pages: this session's scores as the floor
        assert scores["web-html"] >= 115 and scores["web-text"] >= 104, scores


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        (
            "This article was originally published on The Harbour Review. Read the original "
            "article.",
            "republishing note",
        ),
        ("A version of this story first appeared in the Coast Weekly.", "republishing note"),
        ("Republished with permission from the Harbour Review.", "republishing note"),
        ("Was this article helpful?", "feedback prompt"),
        ("Thanks for your feedback!", "feedback prompt"),
        ("Got a story? Email the newsdesk or call us on 01234 567890.", "promotion"),
        (
            "Listen to Harbour Talk on Apple Podcasts, Spotify or wherever you get your podcasts.",
            "promotion",
        ),
        (
            "Copyright 2026 The Coast Times. This material may not be published, broadcast, "
            "rewritten or redistributed.",
            "copyright",
        ),
    ],
)
def test_notes_about_the_page_are_chrome(line: str, reason: str) -> None:
    """Where the story was first published, the page's question about itself, the
    newsroom's call for tips and its podcasts, a notice of rights: about the page, not the
    story."""
    from papercast.text.chrome import line_rule

    assert line_rule(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        "Our reporting is free for everyone because readers like you pay for it.",
        "Coast Times journalism is funded by its readers.",
        "Will you make a gift today? Every pound keeps a reporter on the quay.",
        "We rely on your generosity to keep reporting from the harbour.",
        "Support Coast Times so we can keep asking the council hard questions.",
        "Please make a monthly contribution and keep our journalism free for everyone.",
        "Do you rely on our reporting? Click here to support it.",
        "Donate now",
        "Become a member today",
        "Support the Coast Times",
        "Make a contribution",
        "Keep the harbour watched - support the Coast Times.",
    ],
)
def test_a_reader_appeal_s_parts_are_chrome(line: str) -> None:
    """An outlet's appeal for its readers' money, by what its sentences do: speak to the
    reader about paying for the outlet's work; and its buttons."""
    from papercast.text.chrome import line_rule

    assert line_rule(line) == "reader appeal"


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("Advertisement | Story continues below", "advertisement"),
        (
            "PORTH COLMON, WALES - SEPTEMBER 12: Fishing crews unload the morning catch at the "
            "harbour on September 12, 2026 in Porth Colmon, Wales. The lagoon plan would close "
            "the bay to trawlers for most of the year, and the crews have asked the council for a "
            "delay of two seasons while the new quay is built further along the coast, which the "
            "council has said it will consider at its next meeting in the spring. (Photo by Siân "
            "Pritchard/Coastwatch Images)",
            "photo caption with credit",
        ),
        (
            "Crews test the new slipway at the lifeboat station before its opening on Saturday, "
            "watched by volunteers who raised most of the money for it over five years of fairs, "
            "sponsored swims and collections on the quay. (Harbour Board courtesy photo)",
            "photo caption with credit",
        ),
        ("ADVERTISEMENT - SCROLL TO CONTINUE", "advertisement"),
        ("Never miss the latest news by signing up to our newsletter today!", "promotion"),
        (
            "If you're seeing this message but you're already a subscriber, you can log in for "
            "immediate access.",
            "promotion",
        ),
        ("For the latest stories download the Daily Planet apps for iOS and Android.", "promotion"),
        (
            "Advertising disclosure: We may receive compensation for some of the links in our "
            "stories.",
            "advertising disclosure",
        ),
        (
            "This site participates in the Amazon Associate program and earns revenue from "
            "qualifying purchases. " + "x " * 300,
            "advertising disclosure",
        ),
        (
            "We welcome reader comments. Some comments may be republished; email addresses will "
            "not be published.",
            "comments",
        ),
        (
            "This site is protected by reCAPTCHA and the Google Privacy Policy and Terms of "
            "Service apply.",
            "browser or cookie notice",
        ),
        ("The minister (right) looks on as the cadets receive their commissions.", "photo caption"),
        ("Check out more stories on CoastTimes.com!", "promotion"),
        ("Take me to the Forum", "promotion"),
        ("Save your spot now", "promotion"),
        ("Join us at HarbourFest 2026", "promotion"),
        ("Register to continue reading", "promotion"),
        (
            "Anna van Berg is a staff reporter for the Coast Times and is based in the town.",
            "author bio",
        ),
        ("There are 13 comments", "comments"),
        ("75 with 51 posters participating", "comments"),
        ("23 things every harbour town knows… [23-things-]", "teaser (cut off, links elsewhere)"),
        ("Fabulous! Don't forget to share with your friends.", "share/follow button"),
        ("The lighthouse on the point at dusk Ann Lee/Reuters", "photo caption with credit"),
        ("Illustration for article titled The Harbour Wall Story", "image alt text"),
        ("Animated line drawing of the harbour wall and the ferry slip", "image alt text"),
        ("Skip to contentSkip to site index", "navigation"),
        ("IFRAME: https://video.example/embed/4tX9?rel=0&", "text browser's mark"),
        ("(BUTTON) Close", "text browser's mark"),
        ("(BUTTON) (BUTTON) Share", "text browser's mark"),
        ("You must login or create an account to comment.", "comments"),
        ("Keep up with the Coast Times Daily newsletter.", "promotion"),
        ("12Click to share on Facebook (Opens in new window)12", "share/follow button"),
        ("Like Loading...", "share/follow button"),
        ("Follow us on Instagram for pictures from the quay", "share/follow button"),
        ("NewsSport WeatherTravel MoneyPodcasts", "navigation"),
        # other stories' headlines glued end to start, their function words a sentence's share
        (
            "Storm Bill Reaches Record High For The Second YearFerry Timetable Changes From "
            "March For The Island RouteCouncil Names New Harbour Master After A Long "
            "SearchLifeboat Crew Rescues Two From The Point",
            "navigation",
        ),
        (
            "Twitter post by @harbourtimes: The sea wall vote is tonight. Come along and have "
            "your say.",
            "embedded social post",
        ),
        ("Skip Instagram post 2 by coast_council", "embedded social post"),
        ("End of YouTube video by Coast TV", "embedded social post"),
        ("More Harbour News", "related links"),
        ("More Related to this Story", "related links"),
        ("Love this? Want more?", "promotion"),
        ("Follow the Harbour Letter and never miss an update!", "promotion"),
        (
            "This Week's Top Videos [medium] How to Tie a Bowline [medium] Tide Tables "
            "Explained [thumb] Ferry Crossing in a Gale [medium] The Harbour at Night",
            "photo gallery",
        ),
        ("Related to this article:", "related links"),
        (
            "Award-winning journalist Ann Lee writes a weekly column on the coast. She joined the "
            "Coast Times in 2019.",
            "author bio",
        ),
        ("Ann Lee covers the courts and the council for the Coast Times.", "author bio"),
        ("Ann Lee writes for the Coast Times from Harbourton.", "author bio"),
        ("More From The Coast Times", "related links"),
        ("More From the Harbour and the Coast Times", "related links"),
        (
            "Chat with us in Facebook Messenger. Find out what's happening on the coast as it "
            "unfolds.",
            "promotion",
        ),
        ("Thanks for watching!Visit Website", "promotion"),
        ("Stay up to date with the Coast Times. Subscribe to our newsletter.", "promotion"),
        ("You have succesfully subscribed. Thank you!", "promotion"),
        (
            "An email with an activation link has just been sent to your email address. Please "
            "activate your subscription by clicking on the link.",
            "promotion",
        ),
        (
            "The mayor and the harbour master open the new quay in Harbourton, Britain, March 2, "
            "2026. Ann Lee/Pool via REUTERS",
            "photo caption with credit",
        ),
        (
            "An artist's drawing shows how the finished sea wall would look [Harbour Board via "
            "Coast Council]",
            "photo caption with credit",
        ),
        ("Waves break over the north quay at dawn [Ann Lee/AFP]", "photo caption with credit"),
        (
            "In this photo issued by the Harbour Board, engineers inspect the sea wall in "
            "Harbourton, England, Tuesday, March 3, 2026.",
            "photo caption",
        ),
        (
            "FILE - In this Monday, Oct. 28, 2025, file photo, the ferry leaves the north quay "
            "in a storm.",
            "photo caption",
        ),
        (
            "This undated handout image provided by the Coast Council shows the planned quay.",
            "photo caption",
        ),
        (
            "• Ferry fares to rise HARBOURTON: The company said on Monday that fa...",
            "teaser (cut off, links elsewhere)",
        ),
        ("ann_lee, BobHale, CoastFan22, SeaWallWatcher, tide_tables, JoMarsh", "navigation"),
        # a label's colon or emoji does not hide it
        ("Advertisement:", "advertisement"),
        ("Keep Reading 🚀", "related links"),
        (
            "TAGS: Harbour Board, the north quay sea wall, flood defence funding",
            "press-release label",
        ),
        # the site's legal and privacy links
        ("Privacy and terms", "site footer link"),
        ("Your Privacy Choices", "site footer link"),
        ("Do Not Sell My Personal Information", "site footer link"),
        # a sign-up box's promise, a call for letters and questions, a blocker's notice
        ("Short of time? Receive a weekly digest of the harbour news.", "promotion"),
        ("One new tide table in your inbox every week, free.", "promotion"),
        ("We would love to hear what you think about this story.", "promotion"),
        ("Write us a letter to the editor at the harbour office.", "promotion"),
        ("Send your ferry questions below and our team will answer them.", "promotion"),
        (
            "If you are using an ad blocker, the tide tables will not load; please pause your "
            "ad blocker for this site.",
            "browser or cookie notice",
        ),
        # the line a wiki prints under each page's title
        ("From Wikipedia, the free encyclopedia", "wiki tagline"),
        ("From Coast Town Wiki", "wiki tagline"),
        # the story's length, with or without its reading time
        ("14 minutes - 2310 words", "reading time"),
        ("1,200 words · 6 min read", "reading time"),
        # the shop window a paywalled journal puts in place of the rest
        ("This is a preview of subscription content, log in to check access.", "paywall notice"),
        ("Instant access to the full article PDF.", "paywall notice"),
        ("Price includes VAT (UK).", "paywall notice"),
        ("Rent this article from the reading service", "paywall notice"),
        ("Your subscription will auto renew each year.", "paywall notice"),
        # a sign-up box: the readers it boasts, the inboxes it fills
        ("Join the thousands of harbour watchers who get the letter each Friday.", "promotion"),
        ("Tide tables delivered to their inboxes every Monday, free.", "promotion"),
        (
            "© 2004-2020 Example Media Ltd, Brighton, UK, a Company. All rights reserved. The mark "
            "is registered. " * 2,
            "copyright",
        ),
    ],
)
def test_chrome_classes_seen_on_unseen_pages(line: str, reason: str) -> None:
    from papercast.text.chrome import line_rule

    assert line_rule(line) == reason


@pytest.mark.parametrize(
    "line",
    [
        # story prose, no caption marker
        "The minister looked on as the cadets received their commissions.",
        "Subscribers to the water scheme will pay less from April, the council said.",
        "He said the app, which is free on iOS and Android, had been downloaded a million times.",
        "Register to vote by October 15.",
        "A photo of the wall shows cracks along its length.",
        "He paused… [laughs]",
        "Facebook post by the mayor drew 300 comments on Tuesday night.",
        "More than 300 people came to the meeting.",
        "Smith writes that the council was wrong to approve the wall.",
        "Ann Lee covers her face with her hands as the verdict is read.",
        "The journalist Ann Lee writes about the harbour in her new book, out this week.",
        "More trouble ahead",
        "More of the same from the council",
        "Related to this story is the council's vote on the ferry fares.",
        "Love this town? Most people who live here do, the mayor said.",
        "They never miss an episode of the council's podcast, the clerk said.",
        "He paused [laughs] and said the wall [the north wall] would hold [it did] all winter.",
        "Thanks for watching the harbour with us all these years, the mayor said.",
        "He told residents to subscribe to the council newsletter, which is posted monthly.",
        "Stay up to date with the council's plans by reading its minutes, residents were told.",
        "He said: chat with us on Facebook if the ferry is late, the operator told them.",
        "In this town, everyone remembers the night the sea wall broke.",
        "This photo shows why the council voted to rebuild the wall, the mayor said.",
        "The council's history of the quay sets out each stage of the work [Parts I / II]",
        "Asked about the delays, the treasurer paused and said only: well...",
        "The council sent the plan to AP/AFP review",
        "You must register with the council to post a planning objection, the clerk said.",
        "Join us at the harbour for the opening on Saturday, the mayor told residents.",
        "Like most people in the town, he left before the storm arrived.",
        "McConnell, McCarthy and DeSantis met at McDonald's on Tuesday.",
        "The site runs on WordPress, the alerts on JavaScript and the videos on YouTube.",
        "The council bought an iPhone, a MacBook and PowerPoint for the harbour office on "
        "Tuesday, and a YouTube channel will show the works.",
        "Frame: the council's word for the steel skeleton of the wall, engineers say.",
        "(Button) mushrooms are sold at the harbour market every Saturday morning.",
        # contacts, sponsors and counts in a story
        "Contact the harbour office by May 3 to object to the plan.",
        "Powered by the tide, the new turbine lights the quay at night.",
        "Supported by Quayside Bank and the council, the plan passed easily.",
        "You have read about the wall; now the council wants your view on its cost.",
        # a story's own words on publishing, feedback and tips
        "The story was originally published in a magazine in 1948, the author's son said.",
        "The names of the children may not be published under state law, the judge said.",
        "Was the report helpful to the board? Members were split.",
        "Got a minute? The ferry company's survey takes less than that, it says.",
        # giving, members and journalism in a story: reported, not asked of the reader
        "She went on to become a member of the harbour board in 2019.",
        "The trust will make a donation to the lifeboat station, its chair said.",
        "The grant will help support local journalism in the coastal towns.",
        '"We need your support to keep the ferry running," the mayor told residents.',
        "The paper is funded by advertising and by the council's notices.",
        "Those who wish to donate now can do so at the library or the harbour office.",
        "Will you help your neighbours if the wall fails? The board asked every household.",
        # a shop's words and a list's in a story: reported, not the page's own offer
        "Prices include VAT at 20 per cent, the minister said on Tuesday.",
        "Tags are fitted to the birds before they leave the island.",
        "Join the thousands of people who marched on Saturday, the organisers urged.",
        "Buying this house was the best thing we did, she said.",
        "3,000 words of evidence were read to the board in 40 minutes.",
        "From Monday, the free ferry runs every hour.",
        "Once you have signed up, you can book a berth at the harbour office.",
        "Privacy",
        "She asked readers what they think of this story about the quay, the editor said.",
        "The ferry company said its ad blocker rules were not to blame for the outage.",
        "The fishermen have one demand - support the quay.",
    ],
)
def test_story_sentences_are_not_chrome(line: str) -> None:
    from papercast.text.chrome import line_rule

    assert line_rule(line) is None


def test_text_dump_finds_the_same_headline_as_the_html(eval_dir: Path) -> None:
    for stem in _eval_pages(eval_dir):
        text_title = load_article(str(eval_dir / "news-text" / f"{stem}.txt")).title
        html_title = load_article(str(eval_dir / "news-html" / f"{stem}.html")).title
        assert text_title == html_title, stem


def test_the_same_html_page_extracts_the_same_twice_in_one_process() -> None:
    """trafilatura's deduplication cache is process-wide by default: a page read a second time
    (a feed rebuild, an edited article) must not come back empty."""
    first = extract(read_document(str(SAMPLES / "broadcaster-lagoon.html")))
    second = extract(read_document(str(SAMPLES / "broadcaster-lagoon.html")))
    assert first.sections == second.sections and len(first.sections) >= 2
