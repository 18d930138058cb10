/// A small, strict XML 1.0 parser for documents like TwiML: it accepts only well-formed
/// documents (one root, matched tags, quoted and unique attributes, known entity references,
/// legal characters, valid UTF-8) and refuses DTDs. Errors say what is wrong and where.
///
/// ```swift
/// let root = try XMLDocument.parse(Array(twiml.utf8))
/// root.name                       // "Response"
/// root.elements.map(\.name)       // ["Gather", "Say"]
/// ```
public enum XMLDocument {
    public static func parse(_ bytes: [UInt8]) throws(XMLError) -> XMLElement {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw XMLError(line: 1, column: 1, message: "the document is not valid UTF-8")
        }
        var parser = XMLScanner(Array(text.unicodeScalars))
        return try parser.document()
    }
}

/// An element: its name, attributes (unique names) and content in order.
public struct XMLElement: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case element(XMLElement)
        case text(String)
    }

    public var name: String
    public var attributes: [String: String]
    /// Attribute names in document order.
    public var attributeOrder: [String]
    public var content: [Content]

    /// The child elements, in order.
    public var elements: [XMLElement] {
        content.compactMap { if case .element(let element) = $0 { return element } else { return nil } }
    }

    /// The text content (references resolved, CDATA included), child elements' text excluded.
    public var text: String {
        content.map { if case .text(let text) = $0 { return text } else { return "" } }.joined()
    }
}

/// Why a document is not well-formed XML, and where (1-based line and column).
public struct XMLError: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public var message: String

    public var description: String { "line \(line), column \(column): \(message)" }
}

/// The scanner behind `XMLDocument.parse`, over Unicode scalars.
struct XMLScanner {
    private let input: [Unicode.Scalar]
    private var position = 0

    init(_ input: [Unicode.Scalar]) { self.input = input }

    mutating func document() throws(XMLError) -> XMLElement {
        if peek == "\u{FEFF}" { position += 1 }
        if startsWith("<?xml") && isSpace(at: position + 5) { try declaration() }
        try misc()
        if startsWith("<!DOCTYPE") { throw error("a document type declaration (DTD) is not allowed") }
        guard peek == "<" else { throw error(position >= input.count ? "the document has no root element" : "expected the root element") }
        let root = try element()
        try misc()
        guard position >= input.count else { throw error("only one root element is allowed; found more after </\(root.name)>") }
        return root
    }

    // MARK: - Prolog

    private mutating func declaration() throws(XMLError) {
        position += 5
        var seen: [String] = []
        while true {
            let hadSpace = skipSpaces()
            if startsWith("?>") { position += 2; break }
            guard hadSpace else { throw error("expected a space or ?> in the XML declaration") }
            let name = try self.name()
            try equals()
            let value = try quoted(allowReferences: false)
            switch (name, seen.count) {
            case ("version", 0):
                guard value == "1.0" else { throw error("unsupported XML version \"\(value)\"; use 1.0") }
            case ("encoding", 1):
                guard value.lowercased() == "utf-8" else { throw error("the declared encoding \"\(value)\" is not UTF-8") }
            case ("standalone", 1), ("standalone", 2):
                guard value == "yes" || value == "no" else { throw error("standalone must be yes or no") }
            default:
                throw error("unexpected \"\(name)\" in the XML declaration (version, then encoding, then standalone)")
            }
            seen.append(name)
        }
        guard seen.first == "version" else { throw error("the XML declaration must start with version") }
    }

    /// Comments, processing instructions and white space between top-level items.
    private mutating func misc() throws(XMLError) {
        while true {
            _ = skipSpaces()
            if startsWith("<!--") {
                try comment()
            } else if startsWith("<?") {
                try processingInstruction()
            } else {
                return
            }
        }
    }

    private mutating func comment() throws(XMLError) {
        position += 4
        while position < input.count {
            if startsWith("--") {
                guard startsWith("-->") else { throw error("\"--\" is not allowed inside a comment") }
                position += 3
                return
            }
            try character()
        }
        throw error("the comment is not closed with -->")
    }

    private mutating func processingInstruction() throws(XMLError) {
        let start = position
        position += 2
        let target = try name()
        if target.lowercased() == "xml" {
            position = start
            throw error("the XML declaration is only allowed at the very start")
        }
        while position < input.count {
            if startsWith("?>") { position += 2; return }
            try character()
        }
        throw error("the processing instruction is not closed with ?>")
    }

    // MARK: - Elements

    private mutating func element() throws(XMLError) -> XMLElement {
        position += 1  // <
        let name = try self.name()
        var element = XMLElement(name: name, attributes: [:], attributeOrder: [], content: [])
        while true {
            let hadSpace = skipSpaces()
            if startsWith("/>") { position += 2; return element }
            if peek == ">" { position += 1; break }
            guard hadSpace else { throw error("expected a space, > or /> after <\(name)\(element.attributeOrder.last.map { " … \($0)=…" } ?? "")") }
            let attribute = try self.name()
            try equals()
            let value = try quoted(allowReferences: true)
            guard element.attributes[attribute] == nil else { throw error("attribute \(attribute) appears twice on <\(name)>") }
            element.attributes[attribute] = value
            element.attributeOrder.append(attribute)
        }
        var text = ""
        while true {
            guard position < input.count else { throw error("<\(name)> is not closed") }
            if startsWith("</") {
                let tagStart = position
                position += 2
                let closing = try self.name()
                guard closing == name else {
                    position = tagStart
                    throw error("</\(closing)> closes <\(name)>")
                }
                _ = skipSpaces()
                guard peek == ">" else { throw error("expected > to end </\(closing)") }
                position += 1
                if !text.isEmpty { element.content.append(.text(text)) }
                return element
            } else if startsWith("<!--") {
                try comment()
            } else if startsWith("<![CDATA[") {
                position += 9
                while !startsWith("]]>") {
                    guard position < input.count else { throw error("the CDATA section is not closed with ]]>") }
                    text.unicodeScalars.append(try character())
                }
                position += 3
            } else if startsWith("<?") {
                try processingInstruction()
            } else if peek == "<" {
                if !text.isEmpty { element.content.append(.text(text)); text = "" }
                element.content.append(.element(try self.element()))
            } else if peek == "&" {
                text.unicodeScalars.append(try reference())
            } else {
                if startsWith("]]>") { throw error("\"]]>\" is not allowed in text") }
                text.unicodeScalars.append(try character())
            }
        }
    }

    // MARK: - Pieces

    private mutating func name() throws(XMLError) -> String {
        guard let first = peek, Self.isNameStart(first) else {
            throw error(peek.map { "expected a name, found \"\(Character($0))\"" } ?? "expected a name, found the end of the document")
        }
        var name = ""
        while let scalar = peek, Self.isNameStart(scalar) || Self.isNameContinuation(scalar) {
            name.unicodeScalars.append(scalar)
            position += 1
        }
        return name
    }

    private mutating func equals() throws(XMLError) {
        _ = skipSpaces()
        guard peek == "=" else { throw error("expected = after the attribute name") }
        position += 1
        _ = skipSpaces()
    }

    private mutating func quoted(allowReferences: Bool) throws(XMLError) -> String {
        guard let quote = peek, quote == "\"" || quote == "'" else { throw error("attribute values must be in quotes") }
        position += 1
        var value = ""
        while true {
            guard let scalar = peek else { throw error("the attribute value is not closed") }
            if scalar == quote { position += 1; return value }
            if scalar == "<" { throw error("\"<\" is not allowed in an attribute value") }
            if scalar == "&" {
                guard allowReferences else { throw error("\"&\" is not allowed here") }
                value.unicodeScalars.append(try reference())
                continue
            }
            let character = try self.character()
            // Attribute-value normalisation: white space characters become spaces.
            value.unicodeScalars.append(character == "\t" || character == "\n" || character == "\r" ? " " : character)
        }
    }

    /// `&lt;` `&gt;` `&amp;` `&quot;` `&apos;` `&#60;` `&#x3C;`; no other entity is declared.
    private mutating func reference() throws(XMLError) -> Unicode.Scalar {
        let start = position
        position += 1
        var body = ""
        while let scalar = peek, scalar != ";" {
            guard body.unicodeScalars.count < 12, scalar != "<", scalar != "&", !Self.isSpace(scalar) else {
                position = start
                throw error("\"&\" must start a reference such as &amp; (escape a literal & as &amp;)")
            }
            body.unicodeScalars.append(scalar)
            position += 1
        }
        guard peek == ";" else {
            position = start
            throw error("the reference is not closed with ;")
        }
        position += 1
        switch body {
        case "lt": return "<"
        case "gt": return ">"
        case "amp": return "&"
        case "quot": return "\""
        case "apos": return "'"
        default:
            var value: UInt32?
            if body.hasPrefix("#x") { value = UInt32(body.dropFirst(2), radix: 16) } else if body.hasPrefix("#") { value = UInt32(body.dropFirst(), radix: 10) }
            if let value, let scalar = Unicode.Scalar(value), Self.isChar(scalar) { return scalar }
            position = start
            throw error(body.hasPrefix("#") ? "&\(body); is not a legal XML character" : "unknown entity &\(body);")
        }
    }

    /// Consumes one legal XML character.
    @discardableResult
    private mutating func character() throws(XMLError) -> Unicode.Scalar {
        guard let scalar = peek else { throw error("unexpected end of the document") }
        guard Self.isChar(scalar) else {
            let hex = String(scalar.value, radix: 16, uppercase: true)
            throw error("character U+\(String(repeating: "0", count: max(0, 4 - hex.count)))\(hex) is not allowed in XML")
        }
        position += 1
        return scalar
    }

    private var peek: Unicode.Scalar? { position < input.count ? input[position] : nil }

    private func startsWith(_ text: String) -> Bool {
        var index = position
        for scalar in text.unicodeScalars {
            guard index < input.count, input[index] == scalar else { return false }
            index += 1
        }
        return true
    }

    private func isSpace(at index: Int) -> Bool { index < input.count && Self.isSpace(input[index]) }

    private mutating func skipSpaces() -> Bool {
        let start = position
        while let scalar = peek, Self.isSpace(scalar) { position += 1 }
        return position > start
    }

    private func error(_ message: String) -> XMLError {
        var line = 1
        var column = 1
        for scalar in input[..<min(position, input.count)] {
            if scalar == "\n" { line += 1; column = 1 } else { column += 1 }
        }
        return XMLError(line: line, column: column, message: message)
    }

    static func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar == " " || scalar == "\t" || scalar == "\n" || scalar == "\r" }

    /// XML 1.0 `Char`.
    static func isChar(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x9, 0xA, 0xD, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
        default: return false
        }
    }

    /// XML 1.0 `NameStartChar`.
    static func isNameStart(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x3A, 0x41...0x5A, 0x5F, 0x61...0x7A, 0xC0...0xD6, 0xD8...0xF6, 0xF8...0x2FF, 0x370...0x37D, 0x37F...0x1FFF,
             0x200C...0x200D, 0x2070...0x218F, 0x2C00...0x2FEF, 0x3001...0xD7FF, 0xF900...0xFDCF, 0xFDF0...0xFFFD, 0x10000...0xEFFFF:
            return true
        default:
            return false
        }
    }

    /// The rest of XML 1.0 `NameChar`.
    static func isNameContinuation(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x2D, 0x2E, 0x30...0x39, 0xB7, 0x300...0x36F, 0x203F...0x2040: return true
        default: return false
        }
    }
}
