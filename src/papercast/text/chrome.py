"""General rules that recognise page chrome in scraped text.

Every rule names a kind of chrome found across news sites, never a site. Each
function answers with a reason (a short phrase shown by ``script --dropped``)
or ``None``.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE


def _rx(*patterns: str) -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in patterns), _I)


WIKI_TAGLINE = "wiki tagline"
# Whole-line chrome: the line is nothing but this.
_LINE_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        # the line a wiki (MediaWiki: Wikipedia, Wiktionary, a game's or a town's wiki) prints
        # right under each page's title: "From Wikipedia, the free encyclopedia"
        WIKI_TAGLINE,
        _rx(r"from [\w .'’&-]{0,40}(wiki\w*|pedia)(, the [\w .'’-]{2,40})?"),
    ),
    (
        "audio player",
        _rx(
            r"listen( now)?( to)?( this)? (article|story|audio)\b.*",
            r"listen",
            r"(play|pause)( audio| article)?",
            r"listen( now)?:? ?\(?\d+ ?(min|mins|minutes?|m)\)?",  # "Listen (3 min)"
            r"audio( version)?",
            r"\d+:\d\d( / \d+:\d\d)?",
        ),
    ),
    (
        "reading time",
        _rx(
            r"(estimated|reading time:?|approx\.?)? *\d+(\.\d+)? *(min|mins|minutes?)( read|"
            r" listen| to read)?\.?",
            r"\d+ *(min|minute) read.*",
            # the story's length, with or without its time: "21 minutes - 4312 words"
            r"(\d+ *(min|mins|minutes?)( read)? *[-–—|·,/]? *)?\d[\d,.]* words?",
            r"\d[\d,.]* words? *[-–—|·,/] *\d+ *(min|mins|minutes?)( read)?",
            r"(estimated )?(reading|read|listening) time.*",
        ),
    ),
    (
        "share/follow button",
        _rx(
            r"\d*(click to )?(share|tweet|pin|email|e-mail|print|copy( the| this)? link|save|"
            r"bookmark|follow( us)?|like|reply|comment|reuse this content|gift (this )?article)"
            r"( (on|via|to|this|article|story|page|us|in) ?[\w .&+]*)?:?"
            r"( \(opens in (a )?new (window|tab)\))?\d*",  # a sharing plug-in's buttons and
            # their counts, as a text browser prints them
            r"(like )?loading\s*(\.\.\.|…)?",  # a like button's placeholder ("Like Loading...")
            r"share (this|the) (article|story|page)( on \w+)?.*",
            r"(facebook|twitter|x|linkedin|whatsapp|messenger|pinterest|reddit|email|flipboard|"
            r"telegram)( ?[|/·•] ?\w+)*",
        ),
    ),
    (
        "advertisement",
        _rx(
            r"(advertisement|advert|ad|sponsored( content)?|promoted( content)?|paid (post|"
            r"content)|story continues below( advertisement)?|continue reading( below|"
            r" the main story)?|skip (advert|ad)(vertisement)?|"
            r"ad feedback|advertisement feedback|"
            r"scroll (down )?to continue( reading| with content)?|article continues (below|"
            r"after (this )?(advertisement|ad)))"
        ),
    ),
    (
        "related links",
        _rx(
            r"(related|keep reading|related (articles?|stories|coverage|content|topics|links|news|"
            r"reading|videos?)|read more|(what to )?read (this |these )?next|"
            r"more on this (story|topic)|(more )?related to this (story|article|post|topic)|"
            r"more from .{1,40}|"
            r"more (stories|news|coverage)( from .{1,40})?|you (may|might) (also )?(like|"
            r"be interested in)|recommended( for you| stories| reading)?|"
            r"most (popular|read|viewed|shared)|top stories|trending( now| stories)?|"
            r"suggested (topics|reading)|topics|tags|see also|further reading|"
            r"explore (more|topics)|latest (news|stories|on:?.*)|editors'? picks|"
            r"recent (posts|articles|stories)|"
            r"don't miss|popular (now|videos|stories)|in (other|case you missed).*|also (read|"
            r"see)|up next|"
            r"live streams?|videos?|more|more videos|related (topics|searches)|"
            r"elsewhere on .{1,40}|around the web|from our partners)\s*:?"
        ),
    ),
    (
        "comments",
        _rx(
            r"leave a (reply|comment).*",
            r"(post|submit|add|view|show|hide|load|read) (a |your |all |more )?comments?.*",
            r"\+?comments?( \(?\d+\)?)?( leave a (comment|reply))?",
            r"(there (are|is) )?(\d+|one|no) (comments?|replies|responses|thoughts)"
            r"( (to|on) .{1,200})?",
            r"\d+ ((comments?|posts?|replies) )?with \d+ (posters|participants|people) "
            r"participating",  # a forum's count: "75 with 51 posters participating"
            r"you (must|need to) (be )?(log ?in|logged in|sign ?in|signed in|register|"
            r"subscribe)( or (create|register|sign up for) an account| first)? to (comment|"
            r"reply|post (a )?comments?|join the discussion)[.!]?",
            r"(cancel|post) reply",
            r"(name|email|e-mail|website|comment)\s*\*?:?",
            r"join the (conversation|discussion|debate)\b.*",
            r"log ?in to (comment|reply).*",
            r"be the first to comment.*",
            r"(comments|commenting) (are|is) (closed|now closed|disabled).*",
            r"show (more )?replies",
        ),
    ),
    (
        "navigation",
        _rx(
            r"(back|return|go) to (the )?(top|home|homepage)( button| of page)?",
            r"skip to (main |the )?(content|navigation|footer|site index)(skip to .{1,30})?",
            r"jump to.*",
            r"(menu|close|open|search|sign ?in|sign ?out|log ?in|log ?out|register|my account|home|"
            r"next|previous|prev|toggle.*|expand|collapse|show more|load more|view more|see more|"
            r"see all|more stories)",
            r"(main )?(menu|navigation)",
            r"close( \w+){0,2}",
            r"(page|section) \d+( of \d+)?",
        ),
    ),
    (
        # the site's legal and privacy links, one a line (a lone "Privacy" or "Accessibility"
        # may be a story's subhead and is left alone)
        "site footer link",
        _rx(
            r"privacy (policy|notice|statement|center|centre|settings|and terms|& terms)",
            r"terms (of (use|service|sale))( (and|&) conditions)?|terms (and|&) conditions",
            r"(your |manage )?privacy choices|(online )?tracking choices|ad ?choices",
            r"do not sell( or share)? my (personal )?info(rmation)?|accessibility statement|"
            r"site ?map",
        ),
    ),
    (
        "promotion",
        _rx(
            r"(get|read|find|see|follow) the latest (on|from|news|updates|stories|headlines).*",
            # a sign-up widget's parts: its title (a short line naming a newsletter), its
            # blurb ("Get regular updates ..."), its consent ("opt out anytime", "by entering
            # your email"); any page's, judged by what the line does
            r"(?=.{0,80}$)(?!.*[.!?]$)(\S+ ){0,7}newsletters?:?( \S+){0,3}",  # not a sentence
            r"get (regular |weekly |daily |free )?(updates|tips|news) (on|from|about|in) .*",
            r".*\b(no spam|hate spam|spam-free|opt[- ]out (at )?any ?time|unsubscribe (at )?any ?"
            r"time)\b.*",
            r"by (entering|submitting|providing|sharing) your e-?mail( address)?\b.*",
            r"(sign ?up|subscribe)( now| today| here| for .*| to .*)?[.!]?",
            # a question or a pitch that ends in the bare call: "Want our weekly digest? Sign
            # up here"
            r"[^.!?]{8,100}[?.!:] (sign ?up|subscribe|register|join)( now| today| here)[.!]?",
            r"register( now| today| here| for free| (for|to) (an? |your |our )?(account|comment|"
            r"continue|read|access|newsletter|free).*)?[.!]?",  # not "Register to vote by May 3."
            r"(support|contribute to|donate to) (the|our|us)\b.*",
            r"download (the|our) app.*",
            r"newsletters?( sign-?up)?",
            r"(try|start) (a |your )?free trial.*",
            r"by signing up\b.*",
            r"already (a subscriber|have an account)\??.*",
            r"subscribers? only.*",
            # a call to go elsewhere on the site: "Check out more articles on BuzzFeed.com!",
            # "Take me to Community", "Save your spot now"
            r"(check out|see|read|find|discover|explore) (more|all|other|our)( \w+){0,2} "
            r"(articles|stories|posts|news|videos|guides|recipes|reviews)\b.{0,60}",
            r"take me (to|there)\b.{0,40}",
            r"(save|reserve|book|claim) (your|a|my) (spot|seat|place|ticket)s?( now| today)?[.!]?",
        ),
    ),
    (
        "photo gallery",
        _rx(
            r"(.{1,40} )?in (pictures|photos|images)",
            r"(photo|picture|image|video) (gallery|galleries|slideshow)s?(:? .{0,60})?",
            r"(gallery|slideshow)",
        ),
    ),
    (
        "rating",  # a recipe's or a product's score: "5 from 7 votes", "Rated 4.5 out of 5"
        _rx(
            r"(rated )?\d(\.\d)? ?(stars? )?(from|out of|/) ?\d+( stars)?"
            r"( (votes?|reviews?|ratings?))?",
            r"\(?\d+ (votes?|reviews?|ratings?)\)?",
        ),
    ),
    ("copyright", _rx(r"(©|\(c\)|copyright)\s.*", r".*all rights reserved\.?")),
    (
        # a press release's own labels: when and under what it was issued, whom to call
        "press-release label",
        _rx(
            r"(release|issue) date\s*:.*",
            r"(categor(y|ies)|filed under|posted in|section)\s*:.{0,80}",
            r"(media|press) (contacts?|enquiries|inquiries|office|queries)\s*:.*",
            r"for immediate release\.?",
            r"(news|press) release( \d+)?\.?",
            r"-?#{3}-?",
        ),
    ),
    (
        "photo credit",
        _rx(
            r"(image|photo|picture|video|graphic) (source|caption|credit)s?,? .{0,80}",
            r"(photograph|photo|image|picture|credit)s?:.*",
            r"\(?(photo|image|picture)s? by .{2,80}\)?",
            r"slideshow\s*\(\s*\d+ images?\s*\)",
            r"\d+ (photos|images)",
            r"(getty images|ap photo|shutterstock).{0,40}",
            # a picture's own buttons: "Enlarge this image", "toggle caption"
            r"(enlarge|expand|zoom|view larger|view full[- ]size)( this)? (image|photo|picture)",
            r"(toggle|hide|show) caption",
        ),
    ),
    (
        "sponsor label",  # "Presented by Quayside Bank", "Powered by Google Translate"
        _rx(
            r"(presented|sponsored|brought to you|powered|supported) by (?-i:[A-Z])\S*"
            r"( \S+){0,4}",
            r"(in )?(partnership|association) with (?-i:[A-Z])\S*( \S+){0,4}",
            r"select (your )?language",
        ),
    ),
)

# Lines that name a credit/standards/footer anywhere in a short line.
_FOOTER = _rx(
    r"^(additional )?(reporting|writing|editing|research|compiled|produced|fact[- ]checking)"
    r" by\b.*",
    r"\bediting by [A-Z]",
    r"^our standards:?",
    r"trust principles",
    r"^(this (article|story) (was|has been) (corrected|updated|amended)\b)",
    r"^(editorial|ethics|corrections) (standards|policy|policies)\b",
    r"^all quotes delayed",
    r"\bcontributed (reporting )?to this (report|story|article)\.?$",
)
# An outlet's appeal to its readers for money: a donation or membership box. Its sentences
# speak to the reader about paying for the outlet's work ("Our reporting is free because
# readers like you pay for it", "Will you make a gift today?"); its button is a bare call
# ("Donate now", "Become a member", "Support the Coast Times"). A story's quoted appeal (the
# mayor's "We need your support") is in quotation marks and is not one.
# the reader is asked: a sentence's start, "you can", "will you", "please"
_ASKED = r"(^|[.!?:] +|\byou (can|could|may) |\bwill you |\bplease |\bwhy not )"
_APPEAL = _rx(
    r"\b(readers|supporters|members|listeners|viewers|subscribers) like you\b",
    r"\b(we are|we['’]re|our (journalism|reporting|newsroom|work|site) (is|are)|journalism (is|"
    r"are)|this (site|newsletter|podcast) is) (entirely |mostly |mainly |largely |only |wholly )?"
    r"(funded|supported|paid for|powered|sustained|made possible) by (our |its )?(readers|"
    r"members|listeners|viewers|supporters|people like you|you)\b",
    _ASKED + r"(make|give) a (one-time |one-off |monthly |annual |recurring |small |"
    r"tax-deductible |year-end )*(donation|contribution|gift)\b",
    _ASKED + r"become a (paying |sustaining |founding |monthly )?(member|supporter|patron|"
    r"donor)\b(?! of)",
    _ASKED + r"(support|fund|back|sustain) (independent|local|quality|nonprofit|non-profit|"
    r"public[- ]interest) (journalism|reporting|news)\b",
    r"\b(support|fund|back|sustain) our (journalism|reporting|newsroom|work|mission)\b",
    r"\b(we|our (journalism|reporting|newsroom|work)) (need|needs|rely on|relies on|depend on|"
    r"depends on|count on|counts on) (your|readers[’']?) (support|help|generosity|"
    r"donations?|contributions?|gifts?)\b",
    r"\bwill you (support us|support our|help us|join us|join (the )?[\d,]+|chip in|donate|"
    r"give (today|now|a gift|what you can)|become a (member|supporter))\b",
    r"^support (us|(the )?(?-i:[A-Z])[\w.’'&-]*( (?-i:[A-Z])[\w.’'&-]*){0,3}) (so|and|to|today|"
    r"now|by|with|from)\b",
    r"\bclick (here )?to (support|donate|give|contribute|become a (member|supporter))\b",
    # the call closing a line, after a dash or a colon: "Fight for rights - support the ACLU."
    r"\s[-–—:]\s+support (us|(the )?(?-i:[A-Z])[\w.’'&-]*( (?-i:[A-Z])[\w.’'&-]*){0,3})[.!]?$",
    r"\bkeep (our (journalism|reporting|work|site|stories)|local news) (free|open)( to read)? "
    r"for (everyone|all|every reader)\b",
)
_APPEAL_BUTTON = _rx(
    r"(donate|give|contribute|chip in)( now| today| here| monthly| once)?",
    r"make a (one-time |monthly )?(donation|contribution|gift)( now| today)?",
    r"become a (paying |sustaining |founding |monthly )?(member|supporter|patron|donor)"
    r"( now| today)?",
    r"support (us|(the )?(?-i:[A-Z])[\w.’'&-]*( (?-i:[A-Z])[\w.’'&-]*){0,3})( now| today)?",
)
_QUOTED = re.compile(r"[“”\"]")


MAX_APPEAL_GAP = 3  # blocks between two parts of one appeal box (its heading, its button)


def is_reader_appeal(text: str) -> bool:
    """A block of an outlet's appeal for its readers' money (see ``_APPEAL``)."""
    t = text.strip()
    if len(t) <= 60 and _APPEAL_BUTTON.fullmatch(t.rstrip(".!").strip()):
        return True
    return len(t) <= 600 and not _QUOTED.search(t) and bool(_APPEAL.search(t))


def in_reader_appeals(texts: list[str], reasons: list[str | None]) -> set[int]:
    """Blocks set between two parts of one reader appeal, a few blocks apart ("Support the
    Coast Times" over "We do this work every day at no cost to you ..." over "Donate now"):
    the box's own sentences, though none says what it is."""
    parts = [k for k, r in enumerate(reasons) if r == "reader appeal"]
    inside: set[int] = set()
    for a, b in zip(parts, parts[1:]):
        between = range(a + 1, b)
        if 0 < len(between) <= MAX_APPEAL_GAP and all(
            len(texts[k]) <= 600 and not _QUOTED.search(texts[k]) for k in between
        ):
            inside.update(between)
    return inside


_PROMO_SEARCH = _rx(
    r"^thanks for reading\b",
    r"^thanks for (watching|listening)\s*[!.]",  # a player's end card, not "... watching the"
    # the outlet's invitation to talk on a messaging app: "Chat with us in Facebook Messenger"
    r"^(chat|talk) (with|to) us (on|in|via|through) (facebook|whatsapp|telegram|messenger|"
    r"signal|wechat|line|viber|instagram)\b",
    r"\bsubscribe (for free|now|today)\b",
    # what a sign-up box promises: "Receive a daily list of must-read stories", "a free new
    # article in your inbox every week"
    r"\b(receive|get) (a|our|the) (free )?(daily|weekly|morning|evening|monthly) (list|digest|"
    r"roundup|round-up|e-?mail|newsletter|briefing|selection)\b",
    r"\bin your inbox every (day|week|morning|evening|weekday|month)\b",
    # the outlet's call for letters and questions: "We want to hear what you think about this
    # article", "Submit a letter to the editor", "Submit your question below"
    r"\b(we (want|['’]d like|would like|['’]d love|would love) to (hear|know)|tell us|let us know) "
    r"what you think (about|of) this (article|story|piece|post)\b",
    r"\b(submit|send|write) (us )?a letter to the editor\b",
    r"^(submit|send|ask|leave|post) (us )?your (\w+ ){0,2}(questions?|comments?|stories|story|"
    r"tips?|photos?|videos?) (below|here|using the form)\b",
    r"\bsign up for (our|the|my) (free )?newsletter\b",
    r"\b(sign up|subscribe) (for|to) our (free )?(\w+ )?newsletters?\b",  # the outlet's own
    # a sign-up form's own messages: "You have successfully subscribed.", the activation e-mail
    # (a sentence of its own: "Once you have signed up, you can ..." is a how-to's step)
    r"(^|[.!]\s+)you(('ve| have) (now )?(success?fully |succes+fully )?| are now )"
    r"(subscribed|signed up)\b",
    r"\b(activation|confirmation) link\b.{0,80}\b(e-?mail|inbox)\b|\bactivate your "
    r"subscription\b",
    r"^stay (up to date|updated|informed|in the know) with [^.!?]{1,40}[.!]?$",
    r"\bget (our|the) newsletter\b",
    r"\bkeep up with (the|our) [\w\s'’-]{0,40}newsletter\b",
    r"^(become|upgrade to) a (paid )?(subscriber|member)\b",
    r"\bnever miss (the latest|our top|a story|another|an update|any (updates|news))\b",
    # a sign-up box's opening question: "Love this? Want more?", "Enjoyed this? Get more."
    r"^(love|like|liked|enjoy|enjoyed) (this|it|this (article|story|post))[?!.]\s*(want|get) "
    r"more[?!.]?$",
    r"\bby signing up (to|for) our\b",
    r"\balready a (subscriber|member)\b",
    r"\bplease (subscribe|log ?in|sign ?in) to\b",
    r"\b(first-time|new) subscribers\b",
    r"\bdownload (the|our) .{0,40}\bapps? (for|on) (ios|android|iphone)\b",
    r"\b(daily|weekly|morning|evening) (edition|briefing|digest) by e-?mail\b",
    r"\bfree sign ?up\b",
    # an account's or a review form's prompt: "Login or Register to save this recipe",
    # "Would you like to leave us a review?"
    r"\b(log ?in|sign ?in) or (register|sign ?up) to (save|comment|rate|review|read|continue)\b",
    r"\bwould you like to (leave|write|post|give) (us )?(a |your )?(review|rating|feedback)\b",
    r"\bnever miss\b.{0,60}\b(sign ?up|subscribe|newsletter|inbox)\b",
    # a sign-up form's consent: what giving the address agrees to
    r"\bby (entering|submitting|providing|sharing|giving) your e-?mail( address)?,? you (agree|"
    r"consent|accept)\b",
    # what a sign-up box promises: delivery to the reader's inbox
    r"\b(straight|right|directly|delivered) (to|into) (your|their) inbox(es)?\b",
    # the count of readers a sign-up box boasts: "Join the hundreds of developers who get ..."
    r"^join (the |over |more than )?([\d,.]+k?|hundreds|thousands|millions)( of)? "
    r"([\w-]+ ){1,3}who (get|receive|read|subscribe)\b",
    # a shop's call to action beside the story: add it to a basket, buy or shop now
    r"\badd (the |these |all (the )?)?(\w+ )?(ingredients|items?|products?|it|them) to (your )?"
    r"(basket|cart|bag|trolley)\b",
    r"\b(shop|buy|order) (it |them )?now\b",
)
# Affiliate and advertising disclosures: about the page's business, not the story.
_DISCLOSURE = _rx(
    r"\badvertising (disclosure|disclaimer)\b",
    r"\bamazon associates? (program|programme)\b",
    r"\bearns? (revenue|commissions?|a commission|fees) (from|on) qualifying purchases\b",
    r"\bwe may (receive|earn|get) (compensation|a commission|a share)\b",
    r"\baffiliate (links?|commissions?|program)\b",
    r"\bwe (may )?(earn|receive|get|make) (a )?(small )?(commission|compensation)\b",
    r"\bcommission\b.{0,80}\bat no (extra|additional) cost to you\b",
    r"\b(does|do) not accept paid links\b",
    # how a reviewed product came to the reviewer, and what it is worth
    r"\bestimated (retail )?value\s*:",
    r"\b(lent|loaned|sent|gave|provided|supplied) (us|me) (with )?(the |a |an |this )?.{0,60}\bfor "
    r"(this |the |our )?review\b",
    r"\b(received|was given|were given|was provided|were provided) .{0,60}\bfree of charge\b",
)
# the outlet keeping its distance from a contributor: "Opinions expressed by Forbes
# Contributors are their own." (not a story's "... are his own, the council said")
_DISCLAIMER = _rx(
    r"(the )?(opinions|views) expressed (by|in|on) .{1,60}\b(are|is) (their|his|her|the "
    r"(author|writer)'?s?'?|solely (their|his|her)) own\b(?!,)"
)
# A photo caption: who stands where, doing what a photograph shows.
_CAPTION = _rx(
    r"\((left|right|centre|center|second (from )?(left|right)|l-r|from left|at left|at right|front|"
    r"back row)\).{0,200}"
    r"\b(looks on|look on|pictured|poses|pose|listens|listen|shakes hands|shake hands|greets|"
    r"presents|receives|"
    r"cuts the ribbon|addresses|smiles|chats|in conversation)\b"
)
# A note about the page itself: that it exists in another language ("Read the Spanish version
# of this article translated by ...", "This article is also available in French").
# The note that a story was published elsewhere first: "This article was originally
# published on The Conversation. Read the original article.", "A version of this story first
# appeared in ...", "Republished with permission from ...".
_REPUBLISHED = _rx(
    r"^this (article|story|post|piece|essay|column|interview) (was |is |has been |first )?"
    r"(originally |first )?(published|appeared|posted|ran|republished) (on|in|at|by|with|"
    r"from|here)\b",
    r"^a (version|shorter version|longer version|version) of this (article|story|post|piece|"
    r"essay) (was |has been )?(originally |first )?(published|appeared|ran|posted) (on|in|at|"
    r"by)\b",
    r"^(this (article|story|post) is )?republished (here )?(with permission )?(from|by|under)\b",
    r"^read the original (article|story|post|piece)\b",
)
# A page's question about itself and its answer: "Was this article helpful?", "Thanks for
# your feedback!"
_FEEDBACK = _rx(
    r"(was|is) this (article|page|post|answer|information|guide|content|story) (helpful|"
    r"useful)\??( (yes|no)\b.*)?",
    r"did you find (this|it) (article |page |post |guide )?(helpful|useful)\??.*",
    r"(thanks|thank you) for (your|the) feedback[.!]?.*",
    r"how (helpful|useful) was this (article|page|post|guide)\??.*",
)
# The outlet's own call for news tips and its podcasts: "Got a story? Email the newsdesk",
# "Listen on Apple Podcasts, Spotify or wherever you get your podcasts".
_NEWSROOM_CALL = _rx(
    r"^(got|have|do you have) (a|any) (news )?(story|tip|news tip|story idea|story to share)"
    r"( for us)?\?",
    r"^send us your (news )?(tips|stories|story ideas)\b",
    r"\bwherever you (get|find|listen to) (your )?podcasts\b",
    r"^(listen|subscribe) (to|on) .{0,60}\b(apple podcasts|spotify|google podcasts|stitcher|"
    r"pocket casts)\b",
)
# How to reach the writer: "Contact Tom Rendell at tom@example.com or follow him on X
# @tomrendell." (an address, a handle or a number in it: not "Contact the council by May 3")
_CONTACT = re.compile(
    r"^(contact|email|e-mail|reach|write to|message) (the (author|reporter|writer|newsroom|"
    r"newsdesk)s?|(?-i:[A-Z])\S*( (?-i:[A-Z])\S*){0,2}|us|me|him|her|them) (at|on|via|by)\b"
    r"(?=.*(\S@\S|(^|\s)@\w|\+?\d[\d ()-]{7,}\d))",
    _I,
)
# A metered paywall's count: "You have read 3 of your 5 free articles this month."
_METER = _rx(
    r"\byou(['’]ve| have) (read|used|reached|viewed|enjoyed) (\d+|all|your|the)\b.{0,30}\bfree "
    r"(articles?|stories|story|pieces?|views?|reads?)\b",
    r"\b\d+ free (articles?|stories|story) (left|remaining)\b",
    r"\bthis is your (last|final|\w+) free (article|story)\b",
    # a shop window in place of the rest: the preview, the offer, the renewal, the price
    r"\bpreview of (subscription|paid|premium|members['’]?( only)?) content\b",
    r"^(get )?(instant|immediate|unlimited|full) (online |digital )?access to (the full (article|"
    r"text|story)|all (issues|articles|stories))\b",
    r"\b(your|this|the) subscription (will )?auto(matically)?[- ]?renews?\b",
    # the price note alone on its line ("Price includes VAT (UK)"), not a story's sentence on tax
    r"^(?=.{0,48}$)prices? (includes?|excludes?) (vat|sales tax|tax(es)?|gst)\b",
    r"^(rent|buy|purchase) this (article|chapter|issue|story)\b",
)
# a notice of rights: "This material may not be published, broadcast, rewritten or
# redistributed.", "Copyright 2026 The Coast Times. All rights reserved."
_RIGHTS = _rx(
    r"\b(this|such|our|the) (material|content|article|story) may not be (re)?(published|"
    r"produced|broadcast|rewritten|distributed|copied)\b",
    r"^copyright (©\s*)?(\d{4}|\(c\))\b",
)
_OTHER_VERSION = _rx(
    r"^(read (the|this) )?([\w-]+ )?(version|translation) of this (article|story|post|page)\b",
    r"^this (article|story|post|page) is (also )?available in [A-Z]\w+\b",
)
_AI_AUDIO = _rx(
    r"\baudio( version)? of this (article|story)\b",
    r"mispronunciations? (can|may) occur",
    r"\b(ai|artificial intelligence|computer|machine)[- ](generated|voiced|read)\b.*\b(audio|voice|"
    r"narration)\b",
    r"\b(narrated|voiced|read) by (an? )?(ai|automated|synthetic|computer)",
    r"text-to-speech",
)
_COMMENT_FORM = _rx(
    r"your (email|e-mail) address will not be published",
    r"required fields are marked",
    r"save my name,? email",
    r"notify me of (new|follow-up) (comments|posts)",
    r"comments are moderated",
    r"\bcomments may be (republished|edited|moderated|removed)\b",
    r"\be-?mail addresses will not be published\b",
    r"\bwe welcome (reader|your) comments\b",
)
_NOTICE = _rx(
    r"(will )?open in a new (window|tab)",
    r"search for this author",
    r"(media )?playback (is )?(not supported|unsupported)",
    r"you are using a (browser|version)",
    r"(enable|activate|turn on) javascript",
    r"your browser (does not|doesn't|needs|is out)",
    r"\bprotected by recaptcha\b",
    r"\bwe use cookies\b",
    r"cookie (policy|settings|preferences)",
    r"by (continuing|using this site).{0,40}you agree",
    # a form's consent boxes: the reader agreeing to marketing or to the use of their data
    r"\bi (would like|wish|want|agree|consent) to (receive|be contacted)\b",
    r"\b(agree|consent) to .{0,80}process(ing)? (of )?my personal (data|information)\b",
    r"\bi am (over|at least|older than) 1[3-8]( years( of age| old)?)?\b",
    r"\b(tick|check) (the|this) box (if|to)\b",
    # a blocker's notice, speaking to the reader: "If you're running an ad-blocker ..."
    r"\byou(['’]re| are) (running|using) an? ad[- ]?blocker\b",
    r"\b(disable|turn off|turning off|switch off|pause|whitelist) (your |the )?ad[- ]?blocker\b",
)
# What a post was filed under, however long the list: "Filed Under: Arts, Museums, France",
# "Posted in Brookhaven, News" (a text browser may glue the label to its first link).
_FILED_UNDER = re.compile(
    r"(filed under|posted in|tagged( with| in)?|categories|categorised in|categorized in|"
    r"tags(?=\s*:))\s*:?\s*"
    r"[^.!?]{1,560}$",
    _I,
)
# The heading over an author's biography: "About the Author - Florina Ionescu".
_ABOUT_AUTHOR = re.compile(
    r"(about the (author|writer|reporter|contributor)s?|about (me|us)|"
    r"author (bio|biography|profile)|meet the (author|writer))(\s*[-–—:|]\s*.{1,60}| .{1,40})?",
    _I,
)
_ABOUT_PERSON = re.compile(r"[Aa]bout ([A-Z][\w'’.-]+(?: [A-Z][\w'’.-]+){1,3})")


def about_person(text: str, following: list[str]) -> bool:
    """A header naming its author ("About Matthew Humphries") over the biography: the name
    comes again, or its first name starts, one of the next two blocks ("Matthew is ...")."""
    m = _ABOUT_PERSON.fullmatch(text.strip())
    if not m:
        return False
    first = m.group(1).split()[0]
    return any(t.strip() == m.group(1) or t.startswith(first + " ") for t in following[:2])


_NAME = (
    r"[A-Z][\w.'’-]+(( (di|de|da|del|della|van|von|der|den|du|le|la|bin|al))? [A-Z][\w.'’-]+){1,3}"
)
_JOB = r"(writer|reporter|editor|correspondent|journalist|contributor|columnist|producer|author)"
_AUTHOR_BIO = re.compile(
    rf"^{_NAME} (is|was) (an? |the )?([\w-]+ ){{0,4}}{_JOB}\b"  # Mark di Stefano is a ...
    # "Award-winning journalist Ann Lee writes a weekly column ...", "... covers the courts for"
    rf"|^([\w-]+ ){{0,3}}{_JOB} {_NAME} (writes (a|the|for)|covers|has covered|"
    r"reports on|joined)\b"
    rf"|^{_NAME} (writes (a (daily|weekly|monthly|regular)|for (the )?[A-Z])|covers .{{1,60}} "
    r"for (the )?[A-Z])"
    # in the first person, as a list of roles: "I am a writer, journalist, professor, ..."
    rf"|^I (am|'m|’m) an? ([\w-]+ ){{0,2}}{_JOB}, [\w-]+( [\w-]+)?,"
)
# Who the page says wrote, checked or reviewed it: "By Ann Lee", "by Ann Lee on January 20",
# "Fact checked by Ann Lee", a label alone over the name ("Verified by" / "Ann Lee"). Two to four
# capitalised words; not an organisation's or a desk's ("By The Associated Press", "By CNN Staff").
# The credit opens its line, or a part of it after a separator ("... | Reviewed by Bob Ray") or
# an image's placeholder ("[photo] by Ann Lee"), with only credit words before "by": a
# sentence's "supported by the Python Packaging Authority" is no credit.
_CREDIT_WORDS = (
    r"written|words|story|text|reporting|reported|posted|published|updated|fact[- ]?checked|"
    r"checked|medically|reviewed|edited|photos?|photographs?|photography|illustrations?|"
    r"video|produced|compiled|interview|verified|curated|created|contributed|and"
)
_CREDITED = re.compile(
    rf"(?:^|(?<=[|·•,;–—\]]))[^\w]*(?i:(?:(?:{_CREDIT_WORDS})\s+)*by):?\s+"
    r"(?P<name>[A-Z][a-z][\w.'’-]*(?: (?:de|di|da|del|van|von|der|le|la|al|bin))?"
    r"(?: [A-Z][\w.'’-]+){1,3})"
)
_NOT_A_PERSON = frozenset(
    "the a an staff team desk reporters reporter editors editor editorial wire news newsroom "
    "agency agencies press service media group board correspondents contributors".split()
)
# What a biography says of its subject, right after the name: "Ann Lee is a ...", "ANN LEE has
# done ...", "Ann writes about ...", "Ann joined the paper in ..."
_BIO_VERB = re.compile(
    r"\s+(is|was|has|had|writes|wrote|covers|covered|joined|lives|holds|teaches|works|worked|"
    r"spent|began|started|serves|served|leads|founded|co-founded|loves|enjoys|graduated|earned|"
    r"studied|previously|currently)\b"
)


MAX_BIO = 1000  # characters: a biography of a few sentences, not a profile's story


def author_names(texts: list[str], known: tuple[str, ...] = ()) -> list[str]:
    """The names the page gives as its author's (or its checker's, its reviewer's), from its
    bylines; ``known`` adds names from the page's metadata."""
    names = [n.strip() for n in known if n.strip()]
    for k, t in enumerate(texts):
        if len(t) > 120:
            continue
        if t.strip().lower().endswith(" by") or t.strip().lower() == "by":
            t = t + " " + (texts[k + 1] if k + 1 < len(texts) else "")
        for m in _CREDITED.finditer(t):
            words = m.group("name").split()
            if not any(w.lower() in _NOT_A_PERSON for w in words):
                names.append(" ".join(words))
    return names


def is_bio_of(text: str, names: list[str]) -> bool:
    """A paragraph about one of the page's credited people, opening with the name (in any
    case) or the first name, then what a biography says: "Ann Lee is a ...", "ANN LEE has ...",
    "Ann joined ..."."""
    t = text.strip()
    if len(t) > MAX_BIO:
        return False
    for name in names:
        first = name.split()[0]
        if t.lower().startswith(name.lower()):
            rest = t[len(name) :]
        elif t.startswith(first) and len(first) >= 3 and not first.isupper():
            rest = t[len(first) :]
        else:
            continue
        if _BIO_VERB.match(rest):
            return True
    return False


# A box of the site's other stories headed "More" and a name in capitals: "More Politics",
# "More From WIRED", "More Washington Examiner", "More In Trading Nation" (case matters: a
# sentence's "More than ..." is not one); the name may hold its own small words ("More From
# the Los Angeles Times")
_SMALL = r"(?i:in|from|on|of|the|by|and|at|for|&)"  # either case: "More From the ..."
_CAP = r"[A-Z0-9][\w.'’&-]*"
_MORE_OF = re.compile(rf"More( {_SMALL})* {_CAP}(( {_SMALL})* {_CAP}){{0,3}}:?")
_TEASER_END = re.compile(
    r"(\.\.\.|…)\s*(read|see|continue)( more| reading)?\s*$|\bread more\s*$"
    # cut off, then its picture's file name: "23 things… [23-things-]" (not "[laughs]")
    r"|(\.\.\.|…)\s*\[[\w.]*[-_][\w.-]*\]$",
    _I,
)
_TITLED_VIDEO = re.compile(r"^(watch|video|listen|play|audio)\s*(\||:|—|–|-)\s*\S", _I)
_VIDEO_HEADER = re.compile(
    r"^(watch|video|listen|play|audio)\s*(\||:|—|–|-)\s*\S|^(watch|video)(\s+now)?\s*:?$"
    r"|^(featured|related|latest|top|more) videos?\s*:?$",
    _I,
)
# A caption of any length that ends by crediting its picture: "... (Photo by Drew Angerer/Getty
# Images)", "... (U.S. Air Force courtesy photo)", "(Image: Reuters)".
_PHOTO_CREDIT_END = re.compile(
    r"\((photo|image|picture|photograph)s? (by|courtesy of|credit:?)\s[^()]{2,80}\)\s*$"
    r"|\([^()]{0,60}\b(courtesy|file|handout|staff) (photo|image|picture)\)\s*$"
    r"|\((photo|image|picture)s?: [^()]{2,60}\)\s*$"
    r"|/getty images\)\s*$",
    re.I,
)
_AGENCIES = (
    r"(reuters|ap|afp|getty images|epa|pa|bloomberg|shutterstock|alamy|xinhua|anadolu|dpa|ansa|"
    r"efe)"
)
_CREDIT_TAIL = re.compile(
    r"\(\s*[^()]{2,60}/\s*[^()]{2,60}\)\s*$"  # (Thilo Schmuelgen/Reuters)
    # in square brackets: [Ann Lee/AFP], [SpaceX via Nasa] (not a note's "[M1 / MP]")
    rf"|\[[^\[\]]{{2,60}}(/\s*{_AGENCIES}|\s\bvia\s[^\[\]]{{2,60}})\]\s*$"
    # Photograph: Guy Smallman/Getty Images
    r"|(photograph|photo|image|picture|illustration|credit|source):\s*[^.]{2,80}$"
    r"|\b(getty images|ap photo|afp via getty images|shutterstock)\b[^.]{0,40}$"
    r"|^(image|media|video) ?(source|caption)"
    # "... in Paris Benoit Tessier/Reuters": a photographer and an agency glued to the end
    # ... or through a pool or a file: "Ann Lee/Pool via Reuters", "Ann Lee/File Photo/AFP"
    r"|\b[A-Z][\w'’.-]+( [A-Z][\w'’.-]+){0,2} ?/ ?((pool|file( photo)?|handout)( via |/))?"
    rf"{_AGENCIES}$",
    _I,
)
# A wire service's caption opens by naming its picture: "In this Nov. 19, 2019, photo, ...",
# "FILE - In this photo issued by ITV, ...", "This undated handout image provided by NASA ..."
_WIRE_CAPTION = re.compile(
    r"^(file\s*[-–—]\s*)?(in )?this ([\w.,]+ ){0,5}?(file |handout |undated |aerial )?"
    r"(photo|image|picture|photograph|frame grab|video grab|screenshot|satellite image)s?"
    r"(,| (provided|released|issued|taken|made available|obtained|distributed|shared|"
    r"supplied) (by|to) )",
    _I,
)
# An image's description printed where the image was ("Illustration for article titled ...",
# "Animated line drawing of ..."): a label, not a sentence (no full stop)
_ALT_TEXT = re.compile(
    r"^(an? )?(illustration|photo|photograph|image|picture|animated|animation|drawing|"
    r"graphic|screenshot)( [\w-]+){0,3} (for|of|showing)\b[^.!?]*$",
    _I,
)
_FORM_JUNK = re.compile(
    r"\[\s+\]|\[[ _]{3,}\]|^\s*[\[\]*()|•·\s_\-=━─—–]*\s*$|\[p\]|\[pv\]|\[IMG\]"
)
# What a text browser prints in place of what it cannot show: lynx's "IFRAME: address" and
# "(BUTTON) Label", w3m's "[iframe]" (an image placeholder already), a frame's "FRAME: name"
_BROWSER_MARK = re.compile(
    r"(i?frame|embed|object):\s*\S+|(\((button|submit|reset)\)\s*)+.{0,40}", _I
)
_BULLET = re.compile(r"^\s*([•◦▪□■●*·‣⁃]|-\s|\+\s|\d+\.\s)")
_BULLET_MARK = re.compile(r"^[•◦▪□■●*·‣⁃]\s*")


def strip_bullet(text: str) -> str:
    """The text of a list item without its bullet glyph."""
    return _BULLET_MARK.sub("", text)


_COMMENT_COUNT = re.compile(r"^comments?\s*\(\d+\)$|^\d+\s+comments?$", _I)


# A text browser's mark for a picture with no description: its file's name, cut ("[medium]",
# "[thumb]", "[21ExsHmb3WL]"); a number in brackets is a link's or a note's
_PLACEHOLDER = re.compile(r"\[(?!\d+\])[^\[\]\n]{1,30}\]")
MIN_CARDS_IN_LINE = 3
MAX_CARD_WORDS = 12


def _is_card_strip(t: str) -> bool:
    """A strip of other stories' cards printed as one run of text: pictures' placeholders,
    each between two short titles ("Top Videos [medium] How to Tie a Bowline [medium] Tide
    Tables Explained ..."), no title a sentence with its full stop."""
    parts = _PLACEHOLDER.split(t)
    if len(parts) <= MIN_CARDS_IN_LINE:
        return False
    titles = [p.strip() for p in parts if p.strip()]
    return all(len(p.split()) <= MAX_CARD_WORDS and not re.search(r"[.!?]$", p) for p in titles)


def line_rule(text: str) -> str | None:
    """Reason if ``text`` (one stripped block) is chrome by itself, else None."""
    t = without_edit_link(strip_bullet(text.strip().rstrip("|›»>").strip()))
    if not t:
        return "empty"
    if (_FORM_JUNK.search(t) and len(t) < 200) or not any(ch.isalnum() for ch in t):
        return "form field or rule"
    if re.match(r"^\[[^\]]{1,60}\]", t) and len(t) <= 120:
        return "image placeholder"
    if _is_card_strip(t):
        return "photo gallery"
    if _BROWSER_MARK.fullmatch(t):
        return "text browser's mark"
    if len(t) <= 100 and re.search(
        r"\b(photo|photograph|image|picture|illustration)s? (by|courtesy of|credit)\b", t, _I
    ):
        return "photo credit"
    if len(t) <= 160 and re.match(r"(share|sharing)( all| this| on| via| options)\b", t, _I):
        return "share/follow button"
    if len(t) <= 200 and re.search(r"\bdon[’']t forget to share\b", t, _I):
        return "share/follow button"
    if len(t) <= 300 and _FOLLOW_PROMPT.match(t):
        return "share/follow button"
    if _EMBEDDED_POST.match(t):
        return "embedded social post"
    if len(t) <= 60 and re.fullmatch(r"(?i:join us at|register for)( [A-Z0-9]\S*){1,3}!?", t):
        return "promotion"  # an event's name: "Join us at SpiceWorld"
    if (
        re.match(
            r"(more|related|read more|also read|see also|read also|recommended)\s*:\s*\S", t, _I
        )
        and len(t) <= 200
    ):
        return "related links"
    if (
        re.match(r"(image|photo|picture|video) (copyright|credit|source)\b", t, _I)
        and len(t) <= 120
    ):
        return "photo credit"
    if len(t) <= 60 and re.search(r"\sselected$", t) and len(t.split()) <= 6:
        return "navigation"  # the current item of a menu, as screen readers announce it
    if len(t) <= 120 and _ad_slot(t):
        return "advertisement"
    if _is_nav_words(t):
        return "navigation"
    if len(t) <= 100 and re.search(r"\bbookmark", t, _I):
        return "account feature"
    if _COMMENT_COUNT.match(t):
        return "comments"
    if is_reader_appeal(t):
        return "reader appeal"
    if len(t) <= 120:
        # a label's colon or emoji: "Advertisement:", "Keep Reading 🚀"
        bare = _LABEL_END.sub("", t)
        for reason, rx in _LINE_RULES:
            if rx.fullmatch(t) or (bare and rx.fullmatch(bare)):
                return reason
        if _MORE_OF.fullmatch(t):
            return "related links"
    if len(t) <= 600 and _NOTICE.search(t):
        return "browser or cookie notice"
    if _TEASER_END.search(t):
        return "teaser (cut off, links elsewhere)"
    if _BULLET.match(text) and re.search(r"\w(\.\.\.|…)\s*$", t) and len(t.split()) >= 4:
        # a list item cut off at a fixed length: a list of teasers ("• Dock strike talks resu...")
        return "teaser (cut off, links elsewhere)"
    if len(t) <= 700 and _AUTHOR_BIO.match(t):
        return "author bio"
    if len(t) <= 300 and _COMMENT_FORM.search(t):
        return "comments"
    if len(t) <= 300 and _PROMO_SEARCH.search(t):
        return "promotion"
    disclosure = _DISCLOSURE.search(t) if len(t) <= 1000 else None
    if disclosure and (
        len(t) <= 400 or disclosure.start() < 200
    ):  # a disclosure paragraph says so at once
        return "advertising disclosure"
    if len(t) <= 300 and _DISCLAIMER.match(t):
        return "contributor disclaimer"
    if len(t) <= 600 and _FILED_UNDER.match(t):
        return "press-release label"
    if len(t) <= 120 and _ABOUT_AUTHOR.fullmatch(t):
        return "author bio"
    if len(t) <= 400 and re.match(r"(©|\(c\) ?\d{4}|copyright ©)\s*\d{4}", t, _I):
        return "copyright"
    if len(t) <= 400 and _CAPTION.search(t):
        return "photo caption"
    if len(t) <= 400 and _FOOTER.search(t):
        return "wire footer or standards note"
    if len(t) <= 300 and _REPUBLISHED.search(t):
        return "republishing note"
    if len(t) <= 160 and _FEEDBACK.fullmatch(t):
        return "feedback prompt"
    if len(t) <= 300 and _NEWSROOM_CALL.search(t):
        return "promotion"
    if len(t) <= 300 and _CONTACT.match(t):
        return "author contact"
    if len(t) <= 300 and _METER.search(t):
        return "paywall notice"
    if len(t) <= 400 and _RIGHTS.search(t):
        return "copyright"
    if len(t) <= 200 and _OTHER_VERSION.search(t):
        return "note on the page"
    if len(t) <= 600 and _AI_AUDIO.search(t):
        return "note on the audio version"
    if len(t) <= 200 and _ALT_TEXT.match(t):
        return "image alt text"
    if len(t) <= 1000 and _WIRE_CAPTION.match(t):
        return "photo caption"
    if len(t) <= 400 and _CREDIT_TAIL.search(t):
        return "photo caption with credit"
    if len(t) <= 1500 and _PHOTO_CREDIT_END.search(t):  # an agency's long caption, credit last
        return "photo caption with credit"
    return None


_LABEL_END = re.compile(r"(\s*[:\u2190-\u2bff\U0001f000-\U0001faff\ufe0f])+$")


def _ad_slot(t: str) -> bool:
    """An ad slot's label whose parts are joined by a separator: "Advertisement | Story continues
    below"."""
    parts = [p for p in re.split(r"\s+[|·•/—–-]\s+|\s*[|·•]\s*", t) if p]
    ads = dict(_LINE_RULES)["advertisement"]
    return len(parts) > 1 and all(ads.fullmatch(p.strip()) for p in parts)


def is_video_header(text: str) -> bool:
    return bool(_VIDEO_HEADER.match(text.strip()))


def is_titled_video_header(text: str) -> bool:
    """A video header with the video's title after it: "Watch: Storm waves hit the quay"
    (not one that leads into the title below it: "WATCH | The minister on the deal:")."""
    t = text.strip()
    return bool(_TITLED_VIDEO.match(t)) and not t.endswith(":")


def is_bullet(text: str) -> bool:
    return bool(_BULLET.match(text))


def is_more_of(text: str) -> bool:
    return bool(_MORE_OF.fullmatch(strip_bullet(text.strip())))


def is_related_header(reason: str | None) -> bool:
    return reason in ("related links",)


def is_hard_end(text: str, reason: str | None) -> bool:
    """Chrome after which a page rarely returns to the story (comments, footers)."""
    if reason in ("comments", "copyright"):
        return True
    if reason == "related links" and is_more_of(text):
        return True  # "More Politics": the site's other stories, unless the story resumes
    if reason == "author bio" and (
        _ABOUT_AUTHOR.fullmatch(text.strip()) or _ABOUT_PERSON.fullmatch(text.strip())
    ):
        return True  # "About the author": a biography, then the page's own parts
    t = text.strip().lower().rstrip(":")
    return t in (
        "most popular",
        "most read",
        "most viewed",
        "topics",
        "tags",
        "more on this story",
        "you may also like",
        "recommended",
        "top stories",
        "leave a reply",
        "related articles",
        "join the conversation",
        "editors' picks",
        "editors’ picks",
        "what's trending",
        "what’s trending",
    )


_NAV_WORDS = frozenset(
    "subscribe search account my login log in out sign register menu home newsletter newsletters "
    "help contact about us sections edition editions profile settings account subscriptions "
    "donate shop".split()
)
_BREADCRUMB = re.compile(r"^[^.!?]{1,40}( [/>›»|] [^.!?]{1,40}){1,5}$")
_GLUED = re.compile(r"[a-z0-9][A-Z]")
_SOCIAL = (
    r"(twitter|x|facebook|instagram|linkedin|tiktok|youtube|threads|bluesky|mastodon|whatsapp)"
)
# "Follow The Gleaner on Twitter ...", "Follow us on Instagram": the site's social accounts
_FOLLOW_PROMPT = re.compile(
    rf"(follow|like|join|find|connect with) (us|@?\w+( \w+){{0,3}}) on {_SOCIAL}\b", _I
)

# A post from a social network set into the page, as a text browser prints it: "Twitter post
# by @ann_lee: ...", "Skip Instagram post 2 by harbourtimes", "End of YouTube video by ..."
_EMBEDDED_POST = re.compile(
    rf"((skip|end of|allow) )?{_SOCIAL} (post|video|content|tweet)( \d+)? by "
    r"(@\w+|\w[\w.]*( [\w.]+){0,3})(:|$)",
    _I,
)


# A line that is only an address ("BVINEWS.COM", "Source: www.example.org",
# "https://example.com/report"): a source's credit or a bare link, nothing a listener can
# follow. A bare name needs a common ending (com, org, gov, edu, a country's "co.uk"), so
# "Node.js" and "ASP.NET" stay the words they are.
_WEB_ADDRESS = re.compile(
    r"((source|via|from|credit|website|web|online|more at|visit)\s*:?\s*)?"
    r"(https?://\S+|www\.[\w-]+(\.[\w-]+)+(/\S*)?|"
    r"[\w-]+(\.[\w-]+)*\.(com|org|gov|edu|co\.uk|org\.uk|com\.au)(/\S*)?)",
    _I,
)
MAX_ADDRESS_LINE = 200


def is_web_address(text: str) -> bool:
    """The block is nothing but a web address, with at most a label before it. Judged where
    a block's place is known (the HTML route's paragraphs, a dump's lines inside the story):
    a dump's run of the story is scored before, with the line as the short line it is."""
    t = strip_bullet(text.strip())
    return len(t) <= MAX_ADDRESS_LINE and bool(_WEB_ADDRESS.fullmatch(t))


def _is_nav_words(t: str) -> bool:
    """Menus, breadcrumbs and link runs that lost their separators."""
    words = re.findall(r"[A-Za-z']+", t.lower())
    if 2 <= len(words) <= 12 and sum(w in _NAV_WORDS for w in words) / len(words) >= 0.75:
        return True
    if (
        len(t) <= 120
        and _BREADCRUMB.match(t)
        and not re.search(r"[.!?]$", t)
        and not re.match(r"by\s", t, _I)  # a byline: "By Ann Lee | March 3, 2026 | 6:03 pm"
        and not re.search(r"\b\d{1,2}:\d\d\b", t)
        and len(re.split(r" [/>›»|] ", t)[0].split()) <= 4  # a trail starts short ("Home");
        # "How to Grow a Lemon Tree from Seed | Step-by-Step Guide" is a headline
    ):
        return True
    tokens = t.split()
    glued = sum(
        1
        for tok in tokens
        if _GLUED.search(tok[1:]) and not tok.isupper() and not _SURNAME.match(tok)
    )
    # a menu that lost its separators is made of glued words ("NewsSport WorldUK"), and so is
    # a list of user names; a sentence naming WordPress, JavaScript and YouTube has function
    # words between them: measured on pages nobody tuned to, docs/DECISIONS.md
    if glued < 3 or _code_shape(t):
        return False  # a program's camel-case names ("setUpClass(cls)") are not a menu's
    # headlines glued end to start ("... For The Second YearFerry Timetable ..."): their function
    # words make a sentence's share, but a headline writes nearly every word with a capital
    titled = sum(tok[:1].isupper() for tok in tokens) >= GLUED_TITLES_SHARE * len(tokens)
    prose = not titled and sum(
        tok.lower() in _FUNCTION_WORDS for tok in tokens
    ) >= PROSE_SHARE * len(tokens)
    share = GLUED_SHARE_IN_PROSE if prose else GLUED_SHARE_IN_TITLES if titled else GLUED_SHARE
    return glued * share >= len(tokens)


# a program's call, its name against its brackets: "setUpClass(cls)", "os.path.join(a, b)"
_CODE_CALL = re.compile(r"(?<![\w/%])[A-Za-z_][\w.]*\([\w\s,.'\"=*]*\)")
# an address's, a tag's or a Markdown link's "(" is not a call: "javascript:void(0)"
_ADDRESS_JUNK = re.compile(r"://|%2|&amp;|<\w|javascript:|\]\(")


def _code_shape(t: str) -> bool:
    return bool(_CODE_CALL.search(t)) and not _ADDRESS_JUNK.search(t)


GLUED_SHARE = 10  # one word in this many glued, at least, in a line of names
GLUED_SHARE_IN_PROSE = 3  # ... one in three in a sentence
PROSE_SHARE = 0.2  # of its words function words: a sentence
GLUED_TITLES_SHARE = 0.8  # of its words with a capital: headlines, not a sentence
GLUED_SHARE_IN_TITLES = 15  # one glue in this many words: headlines of 15 words at most
_FUNCTION_WORDS = frozenset(
    "the a an of to in on at for with by from and or but is are was were be been has have had "
    "it its this that these those as not will would can could their his her they we you i".split()
)
_SURNAME = re.compile(r"\W*(Mc|Mac|O'|D'|De|Di|La|Le|Van)[A-Z][a-z]+\b")  # McConnell, DeSantis


# A wiki's link to edit a section, printed after its heading ("See also[edit]", lynx's
# "See also[ edit]", "History[edit | edit source]"): a page tool, not the heading's words
_EDIT_LINK = re.compile(r"\[ ?edit( source)?( ?\| ?edit source)? ?\]$", _I)
EDIT_LINK_CHARS = 24  # the longest, "[ edit | edit source ]", and then some


def without_edit_link(heading: str) -> str:
    """``heading`` without the section-edit link a wiki prints after it. (Matched on the
    text's end only: a pattern free to start anywhere would try every space of a line that
    a wide table pads with thousands.)"""
    end = heading.rstrip()
    tail = end[-EDIT_LINK_CHARS:]
    m = _EDIT_LINK.search(tail)
    return end[: len(end) - len(tail) + m.start()].rstrip() if m else heading
