/// Parses a report year: four digits, 1900–9999.
public func reportYear(_ text: String) -> Int? {
    guard text.count == 4, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }), let y = Int(text), (1900...9999).contains(y) else { return nil }
    return y
}
