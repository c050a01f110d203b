/// A link found on a page: its text and absolute URL.
public struct ExtractedLink: Hashable, Sendable {
    public var title: String
    public var url: String

    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }
}

/// An article found on a page: as a card (title, url, summary, image) or as the page itself (with body).
public struct ExtractedArticle: Hashable, Sendable {
    public var title: String
    public var url: String?
    public var summary: String?
    public var imageURL: String?
    public var editedAt: String?
    public var bodyMarkdown: String?

    public init(title: String, url: String? = nil, summary: String? = nil, imageURL: String? = nil, editedAt: String? = nil, bodyMarkdown: String? = nil) {
        self.title = title
        self.url = url
        self.summary = summary
        self.imageURL = imageURL
        self.editedAt = editedAt
        self.bodyMarkdown = bodyMarkdown
    }
}

/// A question with its answer.
public struct ExtractedQuestion: Hashable, Sendable {
    public var title: String
    public var answerMarkdown: String
    public var editedAt: String?
    /// nil on a one-question page; the element id, else the question's slug, on a many-question page.
    public var fragment: String?
    public var related: [ExtractedLink]
    public var articles: [ExtractedArticle]

    public init(title: String, answerMarkdown: String, editedAt: String? = nil, fragment: String? = nil, related: [ExtractedLink] = [], articles: [ExtractedArticle] = []) {
        self.title = title
        self.answerMarkdown = answerMarkdown
        self.editedAt = editedAt
        self.fragment = fragment
        self.related = related
        self.articles = articles
    }
}

/// Everything one page gives.
public struct ExtractedPage: Hashable, Sendable {
    /// `<link rel=canonical>`, else `og:url`, absolute.
    public var canonicalURL: String?
    public var questions: [ExtractedQuestion]
    /// Set when the page is an article page rather than a FAQ page.
    public var article: ExtractedArticle?
    /// The page's related-questions list (also copied into each question), for callers that
    /// want it once per page.
    public var related: [ExtractedLink]
    /// The page's article cards (also copied into each question).
    public var articles: [ExtractedArticle]

    public init(canonicalURL: String? = nil, questions: [ExtractedQuestion] = [], article: ExtractedArticle? = nil, related: [ExtractedLink] = [], articles: [ExtractedArticle] = []) {
        self.canonicalURL = canonicalURL
        self.questions = questions
        self.article = article
        self.related = related
        self.articles = articles
    }
}
