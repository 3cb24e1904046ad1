/// The two texts as the aligner sees them: per sentence, its length in letters and the distinct
/// anchor keys of its tokens; per source key, the target keys it may match.
struct Bitext {
    /// One side's sentences.
    struct Side {
        /// Letters and digits per sentence.
        var lengths: [Int32] = []
        /// `keys[start[i]..<start[i + 1]]` are sentence `i`'s distinct keys.
        var start: [Int32] = [0]
        /// Keys of every sentence, concatenated.
        var keys: [Int32] = []
        /// Cumulative lengths: `cumulative[i]` = letters in sentences `0..<i`.
        var cumulative: [Int64] = [0]
        /// `paragraphs[i]` = sentences among `1..<i` that start a paragraph (the first sentence
        /// of the text does not count).
        var paragraphs: [Int32] = [0]

        /// Number of sentences.
        var count: Int { lengths.count }

        /// The keys of sentence `i`.
        @inline(__always) func keys(of i: Int) -> ArraySlice<Int32> { keys[Int(start[i])..<Int(start[i + 1])] }

        /// Letters in sentences `range`.
        @inline(__always) func length(_ lower: Int, _ upper: Int) -> Int64 { cumulative[upper] - cumulative[lower] }
    }

    /// What kind of token a key stands for; each kind has its own match probability.
    enum Kind: UInt8, CaseIterable {
        case word = 0, number, punctuation, anchor
    }

    var vocabulary = AnchorVocabulary()
    var source = Side()
    var target = Side()
    /// Per key: its kind.
    var kind: [Kind] = []
    /// Per key: may a source token with this key match the same key on the target side
    /// (cognates, names, numbers, punctuation, glossary concepts).
    var matchesItself: [Bool] = []
    /// Per source key: target keys of its translations in the dictionary.
    var dictionary: [[Int32]] = []
    /// Per source key: target keys of the translations learned from the document.
    var learned: [[Int32]] = []
    /// Per key: does it occur on the source / target side.
    var inSource: [Bool] = []
    var inTarget: [Bool] = []

    /// Reads both texts.
    init(source sourceSentences: [String], target targetSentences: [String], anchors: (any AnchorRecognizer)?,
         sourceParagraphStarts: [Bool]? = nil, targetParagraphStarts: [Bool]? = nil) {
        let folder = TextFolder()
        source = Self.index(sourceSentences, folder: folder, side: 0, anchors: anchors, paragraphStarts: sourceParagraphStarts, into: &self)
        target = Self.index(targetSentences, folder: folder, side: 1, anchors: anchors, paragraphStarts: targetParagraphStarts, into: &self)
        dictionary = Array(repeating: [], count: Int(vocabulary.count))
        learned = dictionary
    }

    private mutating func key(_ string: String, kind: Kind, eligible: Bool, side: Int) -> Int32 {
        let k = vocabulary.key(string)
        if Int(k) == self.kind.count {
            self.kind.append(kind)
            matchesItself.append(false)
            inSource.append(false)
            inTarget.append(false)
        }
        if eligible { matchesItself[Int(k)] = true }
        if side == 0 { inSource[Int(k)] = true } else { inTarget[Int(k)] = true }
        return k
    }

    private static func index(_ sentences: [String], folder: TextFolder, side: Int, anchors: (any AnchorRecognizer)?,
                              paragraphStarts: [Bool]?, into bitext: inout Bitext) -> Side {
        var out = Side()
        out.lengths.reserveCapacity(sentences.count)
        out.start.reserveCapacity(sentences.count + 1)
        var seen: [Int32] = []
        var punctuation: [Unicode.Scalar] = []
        for (index, sentence) in sentences.enumerated() {
            let length = TextFolder.measure(sentence)
            out.lengths.append(Int32(clamping: length))
            out.cumulative.append(out.cumulative.last! + Int64(length))
            seen.removeAll(keepingCapacity: true)
            punctuation.removeAll(keepingCapacity: true)
            for token in folder.tokens(sentence, punctuation: &punctuation) {
                let k: Int32
                if token.isNumber {
                    k = bitext.key(AnchorKeys.number(token.folded), kind: .number, eligible: true, side: side)
                } else {
                    let letters = token.folded.unicodeScalars.count
                    // Capitals at the start of a sentence say nothing; inside it they mark names
                    // (in German every noun, which then behaves like any long word).
                    let nameLike = (token.isCapitalized && token.position > 0) || token.isAllCaps
                    let eligible = letters >= AnchorKeys.minimumCognateLength || (nameLike && letters >= 2)
                    k = bitext.key(AnchorKeys.stem(token.folded), kind: .word, eligible: eligible, side: side)
                }
                if !seen.contains(k) { seen.append(k) }
            }
            for mark in punctuation {
                let k = bitext.key(AnchorKeys.punctuation(mark), kind: .punctuation, eligible: true, side: side)
                if !seen.contains(k) { seen.append(k) }
            }
            let startsParagraph = paragraphStarts.map { index < $0.count && $0[index] && index > 0 } ?? false
            out.paragraphs.append(out.paragraphs.last! + (startsParagraph ? 1 : 0))
            if startsParagraph {
                // A paragraph break: an anchor like a punctuation mark (the first sentence of
                // the text starts a paragraph on both sides anyway).
                let k = bitext.key("p\u{B6}", kind: .punctuation, eligible: true, side: side)
                if !seen.contains(k) { seen.append(k) }
            }
            if let anchors {
                let ids = side == 0 ? anchors.sourceAnchors(in: sentence) : anchors.targetAnchors(in: sentence)
                for id in ids {
                    let k = bitext.key(AnchorKeys.anchor(id), kind: .anchor, eligible: true, side: side)
                    if !seen.contains(k) { seen.append(k) }
                }
            }
            out.keys.append(contentsOf: seen)
            out.start.append(Int32(out.keys.count))
        }
        return out
    }

    /// Adds the dictionary's single-word pairs whose words occur in the texts; returns how many
    /// pairs were usable. The dictionary is tried both ways round and used in the direction that
    /// fits the texts better, since the user may give it either way round.
    mutating func addDictionary(_ dictionary: BilingualDictionary) -> (usable: Int, reversed: Bool) {
        let folder = TextFolder()
        var punctuation: [Unicode.Scalar] = []
        func single(_ text: String) -> String? {
            let tokens = folder.tokens(text, punctuation: &punctuation)
            guard tokens.count == 1, !tokens[0].isNumber else { return nil }
            return AnchorKeys.stem(tokens[0].folded)
        }
        var forward: [(Int32, Int32)] = [], backward: [(Int32, Int32)] = []
        for entry in dictionary.entries {
            guard let s = single(entry.source), let t = single(entry.target),
                  let sk = vocabulary.existingKey(s), let tk = vocabulary.existingKey(t), sk != tk else { continue }
            if inSource[Int(sk)] && inTarget[Int(tk)] { forward.append((sk, tk)) }
            if inSource[Int(tk)] && inTarget[Int(sk)] { backward.append((tk, sk)) }
        }
        let useBackward = backward.count > forward.count
        let pairs = useBackward ? backward : forward
        for (s, t) in pairs where !self.dictionary[Int(s)].contains(t) {
            self.dictionary[Int(s)].append(t)
        }
        return (pairs.count, useBackward)
    }
}

/// Recognises glossary terms (or any other shared anchors) in sentences, for the aligner.
///
/// An anchor is an identifier found on both sides, typically a termbase concept id: a source
/// sentence containing `OTAN` and a target sentence containing `NATO` both report concept
/// `c42`, and the aligner treats that as strong evidence that they belong together.
public protocol AnchorRecognizer: Sendable {
    /// Anchor identifiers found in a source-language sentence.
    func sourceAnchors(in sentence: String) -> [String]
    /// Anchor identifiers found in a target-language sentence.
    func targetAnchors(in sentence: String) -> [String]
}
