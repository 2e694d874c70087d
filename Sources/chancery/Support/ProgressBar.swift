import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Progress of a long step on standard error, so that standard output keeps only results.
///
/// On a terminal it is one line redrawn in place (`\r`), at most ten times a second:
/// `sending events [##########··········]  50%  10,063/20,126`; ``finish()`` ends the line. When standard
/// error is not a terminal (a log file, CI) it writes a plain line at every further tenth instead.
final class ProgressBar {
    let title: String
    /// The count at completion; may be set once it is known.
    var total: Int
    let isTerminal: Bool
    /// Shown after the counts on a terminal, e.g. a rate and an ETA.
    var detail = ""
    /// Whether anything was written yet.
    private(set) var started = false
    private var lastDraw = Date.distantPast
    private var lastDrawn = -1
    private var lastTenth = -1

    /// - Parameters:
    ///   - title: what is counted, e.g. `sending events`.
    ///   - total: the count at completion (0 is allowed: the bar is then full at once).
    init(title: String, total: Int) {
        self.title = title
        self.total = total
        isTerminal = isatty(STDERR_FILENO) == 1
    }

    /// Shows that `done` of ``total`` are done.
    func update(_ done: Int) {
        let fraction = total > 0 ? min(1, Double(max(0, done)) / Double(total)) : 1
        if isTerminal {
            let now = Date()
            guard done != lastDrawn, done >= total || now.timeIntervalSince(lastDraw) >= 0.1 else { return }
            lastDraw = now
            lastDrawn = done
            let width = 30
            let filled = Int((fraction * Double(width)).rounded(.down))
            let bar = String(repeating: "#", count: filled) + String(repeating: "·", count: width - filled)
            let percent = String(Int((fraction * 100).rounded(.down)))
            let padded = String(repeating: " ", count: max(0, 3 - percent.count)) + percent
            write("\r\(title) [\(bar)] \(padded)%  \(Self.grouped(done))/\(Self.grouped(total))\(detail.isEmpty ? "" : "  " + detail)\u{1B}[K")
        } else {
            let tenth = Int((fraction * 10).rounded(.down))
            guard tenth > lastTenth else { return }
            lastTenth = tenth
            write("\(title): \(Self.grouped(done))/\(Self.grouped(total)) (\(tenth * 10)%)\n")
        }
    }

    /// Draws the final state and ends the terminal line.
    func finish() {
        update(total)
        if isTerminal && started { write("\n") }
    }

    private func write(_ text: String) {
        started = true
        FileHandle.standardError.write(Data(text.utf8))
    }

    /// `20126` → `20,126`.
    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return n < 0 ? "-" + out : out
    }
}
