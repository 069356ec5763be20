/// The Snowball English stemmer ("Porter2"), as Snowball 3.1 defines it: `connected`,
/// `connecting`, `connection` → `connect`; `generously` → `generous`; `dying` → `die`.
///
/// Input is one lowercase word (``Tokenizer`` produces them); letters outside a–z count as
/// non-vowels, as in Snowball. The rules, in the order applied:
/// - Whole-word exceptions (`skies` → `sky`, `news` stays); words under 3 letters stay.
/// - Prelude: an initial apostrophe goes; `y` at the start or after a vowel becomes the
///   consonant `Y` (back to `y` at the end).
/// - Regions: R1 starts after the first non-vowel that follows a vowel, or after one of the
///   prefixes `arsen commun emerg gener inter later organ past univers`; R2 is the same rule
///   applied again inside R1.
/// - Step 0/1a: possessive `'`, `'s`, `'s'`; `sses` → `ss`, `ied`/`ies` → `i` (or `ie` after a
///   single letter), a final `s` after a part holding a vowel that is not just before it goes.
/// - Step 1b: `eed`/`eedly` → `ee` in R1 (not in `proceed`, `exceed`, `succeed`); `ed`, `edly`,
///   `ing`, `ingly` go after a part holding a vowel, then `at`/`bl`/`iz` gain `e`, a double
///   consonant loses one letter (not in `add`, `egg`, `err`…), and a short word gains `e`;
///   `dying` → `die`; `inning`, `outing`, `canning`, `herring`, `earring`, `evening` stay.
/// - Step 1c: final `y` after a non-vowel that is not the first letter → `i`.
/// - Steps 2–4: the longest listed suffix, if it lies in R1 (steps 2, 3) or R2 (step 4), is
///   replaced (`ational` → `ate`, `ousness` → `ous`, …) or removed.
/// - Step 5: final `e` in R2, or in R1 after something that is not a short syllable; final `l`
///   after `l` in R2.
///
/// Checked word by word against Snowball's published vocabulary and output (42,649 words) when
/// `../shared/testdata/snowball-english` is present. Cost: O(length) per word, a few
/// allocations; ``stem(_:)`` is a pure function and safe to call from any thread.
public struct EnglishStemmer: Sendable {
    public init() {}

    /// The stem of `word` (lowercase).
    public func stem(_ word: String) -> String {
        var text = Word(word)
        text.stem()
        return text.string
    }
}

/// A word as Unicode scalars with its two regions, rewritten in place by the steps.
private struct Word {
    var letters: [Unicode.Scalar]
    /// Start of R1 and R2 (indices into `letters`; `letters.count` when empty). The steps only
    /// shorten or extend the end, so these stay valid.
    var r1 = 0
    var r2 = 0
    var foundY = false

    init(_ word: String) { letters = Array(word.unicodeScalars) }

    var string: String {
        var result = String.UnicodeScalarView()
        result.append(contentsOf: letters)
        return String(result)
    }

    static func isVowel(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case "a", "e", "i", "o", "u", "y": return true
        default: return false
        }
    }

    /// A non-vowel that may close a short syllable: not `w`, `x` or `Y`.
    static func closesShortSyllable(_ c: Unicode.Scalar) -> Bool { !isVowel(c) && c != "w" && c != "x" && c != "Y" }

    static func isValidLiEnding(_ c: Unicode.Scalar) -> Bool { "cdeghkmnrt".unicodeScalars.contains(c) }

    static let exceptions: [String: String] = [
        "skis": "ski", "skies": "sky", "idly": "idl", "gently": "gentl", "ugly": "ugli", "early": "earli",
        "only": "onli", "singly": "singl", "sky": "sky", "news": "news", "howe": "howe", "atlas": "atlas",
        "cosmos": "cosmos", "bias": "bias", "andes": "andes",
    ]

    static func scalars(_ text: String) -> [Unicode.Scalar] { Array(text.unicodeScalars) }
    static let past = scalars("past")
    static let possessives = ["'s'", "'s", "'"].map(scalars)
    static let step1aSuffixes = ["sses", "ied", "ies", "ss", "us", "s"].map(scalars)
    static let step1bSuffixes = ["eedly", "ingly", "edly", "eed", "ing", "ed"].map(scalars)
    static let lengthenedEndings = ["at", "bl", "iz"].map(scalars)
    static let ion = scalars("ion")
    static let ative = scalars("ative")

    static let regionPrefixes: [[Unicode.Scalar]] = ["arsen", "commun", "emerg", "gener", "inter", "later", "organ", "past", "univers"]
        .map { Array($0.unicodeScalars) }

    // MARK: Helpers over the end of the word

    func hasSuffix(_ suffix: [Unicode.Scalar]) -> Bool {
        letters.count >= suffix.count && letters[(letters.count - suffix.count)...].elementsEqual(suffix)
    }

    /// The longest of `suffixes` the word ends with.
    func longestSuffix(_ suffixes: [[Unicode.Scalar]]) -> [Unicode.Scalar]? {
        var best: [Unicode.Scalar]?
        for suffix in suffixes where hasSuffix(suffix) && suffix.count > (best?.count ?? 0) { best = suffix }
        return best
    }

    mutating func replaceSuffix(length: Int, with replacement: String) {
        letters.removeLast(length)
        letters.append(contentsOf: replacement.unicodeScalars)
    }

    /// Whether `letters[..<end]` holds a vowel.
    func hasVowel(before end: Int) -> Bool { letters[..<end].contains(where: Self.isVowel) }

    /// A short syllable ends at `end` (exclusive): non-vowel, vowel, non-vowel other than w/x/Y;
    /// or a vowel then a non-vowel at the very start; or the word part is `…past`.
    func endsInShortSyllable(_ end: Int) -> Bool {
        if end >= 3, Self.closesShortSyllable(letters[end - 1]), Self.isVowel(letters[end - 2]), !Self.isVowel(letters[end - 3]) {
            return true
        }
        if end == 2, !Self.isVowel(letters[1]), Self.isVowel(letters[0]) { return true }
        return end >= 4 && letters[(end - 4)..<end].elementsEqual(Self.past)
    }

    // MARK: The algorithm

    mutating func stem() {
        if let exception = Self.exceptions[string] {
            letters = Array(exception.unicodeScalars)
            return
        }
        guard letters.count >= 3 else { return }
        prelude()
        markRegions()
        step1a()
        step1b()
        step1c()
        step2()
        step3()
        step4()
        step5()
        if foundY { letters = letters.map { $0 == "Y" ? "y" : $0 } }
    }

    mutating func prelude() {
        if letters.first == "'" { letters.removeFirst() }
        guard !letters.isEmpty else { return }
        if letters[0] == "y" {
            letters[0] = "Y"
            foundY = true
        }
        for index in letters.indices.dropFirst() where letters[index] == "y" && Self.isVowel(letters[index - 1]) {
            letters[index] = "Y"
            foundY = true
        }
    }

    /// Start of the region after the first non-vowel following a vowel, searching from `start`.
    func regionStart(from start: Int) -> Int {
        var index = start
        while index < letters.count, !Self.isVowel(letters[index]) { index += 1 }
        while index < letters.count, Self.isVowel(letters[index]) { index += 1 }
        return min(index + 1, letters.count)
    }

    mutating func markRegions() {
        if let prefix = Self.regionPrefixes.first(where: { letters.starts(with: $0) }) {
            r1 = prefix.count
        } else {
            r1 = regionStart(from: 0)
        }
        r2 = r1 < letters.count ? regionStart(from: r1) : letters.count
    }

    mutating func step1a() {
        if let possessive = longestSuffix(Self.possessives) {
            letters.removeLast(possessive.count)
        }
        guard let suffix = longestSuffix(Self.step1aSuffixes) else { return }
        let start = letters.count - suffix.count
        switch String(String.UnicodeScalarView(suffix)) {
        case "sses": replaceSuffix(length: 4, with: "ss")
        case "ied", "ies": replaceSuffix(length: 3, with: start >= 2 ? "i" : "ie")
        case "s":
            // Delete if a vowel occurs before the letter just before the s.
            if start >= 1, hasVowel(before: start - 1) { letters.removeLast() }
        default: break  // ss, us
        }
    }

    mutating func step1b() {
        guard let suffix = longestSuffix(Self.step1bSuffixes) else { return }
        let start = letters.count - suffix.count
        let name = String(String.UnicodeScalarView(suffix))
        if name == "eed" || name == "eedly" {
            guard start >= r1 else { return }
            let stemPart = String(String.UnicodeScalarView(letters[..<start]))
            if ["succ", "proc", "exc"].contains(stemPart) { return }
            replaceSuffix(length: suffix.count, with: "ee")
            return
        }
        if name == "ing" {
            let stemPart = Array(letters[..<start])
            if stemPart.count == 2, stemPart[1] == "y", !Self.isVowel(stemPart[0]) {
                // dying → die, lying → lie, tying → tie
                letters.removeLast(suffix.count + 1)
                letters.append(contentsOf: "ie".unicodeScalars)
                return
            }
            if ["even", "cann", "inn", "earr", "herr", "out"].contains(String(String.UnicodeScalarView(stemPart))) { return }
        }
        guard hasVowel(before: start) else { return }
        letters.removeLast(suffix.count)
        let end = letters.count
        if Self.lengthenedEndings.contains(where: hasSuffix) {
            letters.append("e")
        } else if end >= 2, letters[end - 1] == letters[end - 2], "bdfgmnprt".unicodeScalars.contains(letters[end - 1]) {
            // A double after a single a/e/o at the start stays (add, egg, err, odd).
            if end == 3, "aeo".unicodeScalars.contains(letters[0]) { return }
            letters.removeLast()
        } else if end == r1, endsInShortSyllable(end) {
            // A short word: R1 is exactly empty here and the word ends in a short syllable.
            letters.append("e")
        }
    }

    mutating func step1c() {
        let end = letters.count
        guard end >= 3, letters[end - 1] == "y" || letters[end - 1] == "Y", !Self.isVowel(letters[end - 2]) else { return }
        letters[end - 1] = "i"
    }

    static let step2Rules: [([Unicode.Scalar], String)] = [(String, String)]([
        ("ational", "ate"), ("tional", "tion"), ("enci", "ence"), ("anci", "ance"), ("abli", "able"), ("entli", "ent"),
        ("ization", "ize"), ("izer", "ize"), ("ation", "ate"), ("ator", "ate"), ("alism", "al"), ("aliti", "al"),
        ("alli", "al"), ("fulness", "ful"), ("fulli", "ful"), ("ousli", "ous"), ("ousness", "ous"), ("iveness", "ive"),
        ("iviti", "ive"), ("biliti", "ble"), ("bli", "ble"), ("ogist", "og"), ("ogi", "og"), ("lessli", "less"), ("li", ""),
    ]).map { (scalars($0.0), $0.1) }

    mutating func step2() {
        guard let (suffix, replacement) = Self.longestRule(Self.step2Rules, in: self) else { return }
        let start = letters.count - suffix.count
        guard start >= r1 else { return }
        switch String(String.UnicodeScalarView(suffix)) {
        case "ogi": guard start >= 1, letters[start - 1] == "l" else { return }
        case "li": guard start >= 1, Self.isValidLiEnding(letters[start - 1]) else { return }
        default: break
        }
        replaceSuffix(length: suffix.count, with: replacement)
    }

    static let step3Rules: [([Unicode.Scalar], String)] = [(String, String)]([
        ("ational", "ate"), ("tional", "tion"), ("alize", "al"), ("icate", "ic"), ("iciti", "ic"), ("ical", "ic"),
        ("ful", ""), ("ness", ""), ("ative", ""),
    ]).map { (scalars($0.0), $0.1) }

    mutating func step3() {
        guard let (suffix, replacement) = Self.longestRule(Self.step3Rules, in: self) else { return }
        let start = letters.count - suffix.count
        guard start >= r1, suffix != Self.ative || start >= r2 else { return }
        replaceSuffix(length: suffix.count, with: replacement)
    }

    static let step4Suffixes = [
        "al", "ance", "ence", "er", "ic", "able", "ible", "ant", "ement", "ment", "ent", "ism", "ate", "iti", "ous",
        "ive", "ize", "ion",
    ].map { Array($0.unicodeScalars) }

    mutating func step4() {
        guard let suffix = longestSuffix(Self.step4Suffixes) else { return }
        let start = letters.count - suffix.count
        guard start >= r2 else { return }
        if suffix == Self.ion {
            guard start >= 1, letters[start - 1] == "s" || letters[start - 1] == "t" else { return }
        }
        letters.removeLast(suffix.count)
    }

    mutating func step5() {
        let end = letters.count
        guard end >= 1 else { return }
        let start = end - 1
        if letters[start] == "e" {
            if start >= r2 || (start >= r1 && !endsInShortSyllable(start)) { letters.removeLast() }
        } else if letters[start] == "l", start >= r2, start >= 1, letters[start - 1] == "l" {
            letters.removeLast()
        }
    }

    /// The rule with the longest suffix the word ends with.
    static func longestRule(_ rules: [([Unicode.Scalar], String)], in word: Word) -> ([Unicode.Scalar], String)? {
        var best: ([Unicode.Scalar], String)?
        for rule in rules where word.hasSuffix(rule.0) && rule.0.count > (best?.0.count ?? 0) { best = rule }
        return best
    }
}
