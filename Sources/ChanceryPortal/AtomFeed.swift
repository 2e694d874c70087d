import Foundation

/// An Atom 1.0 feed (RFC 4287) of disclosure catalogue entries: `feed` with `id`, `title`, `updated`, `author`,
/// `link rel="self"` and `rel="alternate"`, and one `entry` per document with `id`, `title`, `updated`,
/// `published`, `link`, `category` and a `summary`; a withdrawn document stays in the feed, marked as withdrawn.
struct AtomFeed {
    struct Entry {
        var id: String
        var title: String
        var link: String
        var published: String
        var updated: String
        var category: String
        var categoryLabel: String
        var summary: String
    }

    var id: String
    var title: String
    var author: String
    var selfLink: String
    var alternateLink: String
    var updated: String
    var entries: [Entry]

    /// The feed as XML (UTF-8).
    var xml: String {
        var out = """
            <?xml version="1.0" encoding="utf-8"?>
            <feed xmlns="http://www.w3.org/2005/Atom">
              <id>\(Self.escape(id))</id>
              <title>\(Self.escape(title))</title>
              <updated>\(updated)</updated>
              <author><name>\(Self.escape(author))</name></author>
              <link rel="self" type="application/atom+xml" href="\(Self.escape(selfLink))"/>
              <link rel="alternate" type="text/html" href="\(Self.escape(alternateLink))"/>

            """
        for e in entries {
            out += """
                  <entry>
                    <id>\(Self.escape(e.id))</id>
                    <title>\(Self.escape(e.title))</title>
                    <link rel="alternate" type="text/html" href="\(Self.escape(e.link))"/>
                    <published>\(e.published)</published>
                    <updated>\(e.updated)</updated>
                    <category term="\(Self.escape(e.category))" label="\(Self.escape(e.categoryLabel))"/>
                    <summary>\(Self.escape(e.summary))</summary>
                  </entry>

                """
        }
        return out + "</feed>\n"
    }

    /// XML character escaping of text and attribute values.
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // XML 1.0 forbids most control characters.
                if c.value < 0x20 && c != "\t" && c != "\n" && c != "\r" { continue }
                out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
