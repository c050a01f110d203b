#!/usr/bin/env python3
"""Writes N FAQ pages shaped like the seed page (Tests/Fixtures/site/faq/is-pmo-more-senior-than-project-manager.html):
about 20 KB each, with the seed's head, scripts, cookie banner, navigation and footer, one question
with its answer and "Last edited on" date, 64 related-question links (one to the page itself, so 63
relations) and 12 article cards. Every page has its own title, answer, date, related set and cards.

Deterministic: the same N and --seed give byte-identical files, so a re-import is truly unchanged.

    generate_pages.py N OUT_DIR [--seed S]
"""
import argparse
import os
import random

SITE = "https://www.example.org"

# Titles are a mixed-radix number over these lists, so page i always has the same, unique title.
OPENERS = ["How do I", "Can I", "Should I", "When should I", "Why should I", "Is it wise to",
           "What does it take to", "How long does it take to", "How hard is it to", "Where can I"]
VERBS = ["become", "hire", "train as", "qualify as", "work with", "report to", "replace",
         "mentor", "interview for", "switch to", "move from", "get promoted to"]
ROLES = ["a project manager", "a PMO lead", "a programme manager", "a Scrum Master",
         "a portfolio manager", "a change manager", "an agile coach", "a product owner",
         "a project coordinator", "a delivery manager", "a PRINCE2 practitioner", "a risk manager"]
CONTEXTS = ["in the UK", "with no experience", "after 40", "in IT", "in construction",
            "in the public sector", "in a start-up", "without a degree", "in healthcare", "remotely",
            "in finance", "part time"]

ARTICLE_A = ["Project portfolio", "Risk register", "Stakeholder mapping", "Benefits realisation",
             "Earned value", "Agile governance", "Business case", "Change control", "Lessons learned",
             "Resource levelling", "Critical path", "Quality assurance", "Scope management",
             "Vendor management", "PRINCE2 themes", "Scrum ceremonies", "Kanban flow", "Budget tracking",
             "Issue escalation", "Project closure"]
ARTICLE_B = ["explained", "tools", "best practices", "for beginners", "checklist", "templates",
             "in practice", "case study", "common mistakes", "step by step", "guide", "essentials",
             "for small projects", "at scale", "FAQ", "examples", "myths", "review", "in 2026",
             "masterclass"]
ARTICLE_POOL = len(ARTICLE_A) * len(ARTICLE_B)  # 400 distinct articles shared by all pages

WORDS = ("project manager plan scope budget schedule risk stakeholder team delivery portfolio programme "
         "governance agile scrum sprint backlog milestone benefit quality change control resource "
         "organisation sponsor board report lesson estimate dependency vendor contract tolerance stage "
         "exception baseline forecast value outcome capability leadership communication negotiation "
         "certification experience career training framework methodology approach practice").split()

MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def title(i):
    i, a = divmod(i, len(OPENERS))
    i, b = divmod(i, len(VERBS))
    i, c = divmod(i, len(ROLES))
    i, d = divmod(i, len(CONTEXTS))
    suffix = f" (part {i + 1})" if i else ""  # only beyond 17,280 pages
    return f"{OPENERS[a]} {VERBS[b]} {ROLES[c]} {CONTEXTS[d]}{suffix}?"


def slug(text):
    out, dash = [], False
    for ch in text.lower():
        if ch.isalnum():
            out.append(ch)
            dash = False
        elif not dash:
            out.append("-")
            dash = True
    return "".join(out).strip("-")


def article(k):
    a, b = divmod(k, len(ARTICLE_B))
    return f"{ARTICLE_A[a]} {ARTICLE_B[b]}"


def sentence(rng, lo=10, hi=22):
    words = [rng.choice(WORDS) for _ in range(rng.randint(lo, hi))]
    return " ".join(words).capitalize() + "."


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def page(i, n, seed):
    rng = random.Random(seed * 1_000_003 + i)
    t = title(i)
    s = slug(t)
    date = f"{rng.randint(1, 28):02d} {rng.choice(MONTHS)} {rng.randint(2019, 2026)}"
    answer = "\n".join(
        "      <p>" + esc(" ".join(sentence(rng) for _ in range(rng.randint(2, 4)))) + "</p>"
        for _ in range(rng.randint(1, 3)))
    # 64 related questions in title order, as the seed lists them, the page itself among them.
    others = set()
    while len(others) < min(63, n - 1):
        j = rng.randrange(n)
        if j != i:
            others.add(j)
    related = sorted([(title(j), slug(title(j))) for j in others] + [(t, s)])
    related_html = "\n".join(f'      <li><a href="/faq/{rs}">{esc(rt)}</a></li>' for rt, rs in related)
    cards = []
    for k in rng.sample(range(ARTICLE_POOL), 12):
        at = article(k)
        aslug = slug(at)
        summary = esc(sentence(rng, 14, 30) + " " + sentence(rng, 6, 12))
        cards.append(f"""      <div class="card">
        <a class="card-image" href="{SITE}/articles/{aslug}"><img src="/images/articles/{aslug}.jpg" alt="image" loading="lazy"></a>
        <div class="card-body">
          <h3 class="card-title"><a href="{SITE}/articles/{aslug}">{esc(at)}</a></h3>
          <p class="card-summary">{summary}</p>
        </div>
      </div>""")
    cards_html = "\n".join(cards)
    return f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(t)} | PM Training</title>
<link rel="canonical" href="{SITE}/faq/{s}">
<link rel="stylesheet" href="/assets/site.css">
<script async src="https://www.googletagmanager.com/gtag/js?id=G-TEST{i % 1000:03d}"></script>
<script>
  window.dataLayer = window.dataLayer || [];
  function gtag(){{dataLayer.push(arguments);}}
  gtag('js', new Date());
  gtag('config', 'G-TEST{i % 1000:03d}');
</script>
</head>
<body class="page faq-page">
<div id="cookie-consent" class="cookie-banner" role="dialog">
  <p>We use cookies to improve your experience and for analytics. <a href="/cookie-policy">Read our cookie policy</a>.</p>
  <button type="button" onclick="acceptCookies()">Accept all cookies</button>
  <button type="button" onclick="rejectCookies()">Reject</button>
</div>
<header class="site-header">
  <a class="logo" href="/"><img src="/assets/logo.png" alt="PM Training" width="120" height="40"></a>
  <nav class="main-nav" aria-label="Main">
    <ul>
      <li><a href="/courses">Courses</a></li>
      <li><a href="/qualifications">Qualifications</a></li>
      <li><a href="/articles">Articles</a></li>
      <li><a href="/faq">FAQ</a></li>
      <li><a href="/about-us">About us</a></li>
    </ul>
  </nav>
  <form class="search" action="/search"><input type="search" name="q" placeholder="Search"><button>Search</button></form>
</header>
<main id="content">
  <nav class="breadcrumbs" aria-label="Breadcrumb"><a href="/">Home</a> &gt; <a href="/faq">FAQ</a> &gt; <span>{esc(t)}</span></nav>
  <article class="faq-entry">
    <h1>{esc(t)}</h1>
    <div class="faq-answer">
{answer}
    </div>
    <p class="last-edited">Last edited on: {date}</p>
  </article>
  <section class="related-questions">
    <h2>Related questions</h2>
    <ul class="question-list">
{related_html}
    </ul>
  </section>
  <section class="related-articles">
    <h2>Project Management related articles</h2>
    <div class="card-grid">
{cards_html}
    </div>
  </section>
</main>
<footer class="site-footer">
  <div class="footer-links">
    <a href="/privacy">Privacy notice</a> | <a href="/terms">Terms of use</a> | <a href="/accessibility">Accessibility</a>
  </div>
  <p>&copy; 2026 PM Training Ltd. Registered in England and Wales.</p>
</footer>
<script src="/assets/site.js"></script>
<script>
  (function(h,o,t,j,a,r){{h.hj=h.hj||function(){{(h.hj.q=h.hj.q||[]).push(arguments)}};}})(window,document,'https://static.hotjar.com/c/hotjar-','.js?sv=');
</script>
<noscript><img height="1" width="1" style="display:none" src="https://www.facebook.com/tr?id=123&ev=PageView&noscript=1"></noscript>
</body>
</html>
"""


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("n", type=int)
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    for i in range(args.n):
        # 1,000 files per folder keeps directory listings fast; the import walks folders recursively.
        folder = os.path.join(args.out, f"{i // 1000:03d}")
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, slug(title(i)) + ".html"), "w", encoding="utf-8") as f:
            f.write(page(i, args.n, args.seed))


if __name__ == "__main__":
    main()
