/// Flags that may be given more than once (`--field a=1 --field b=2`): taken out of the
/// arguments before the rest is parsed.
enum RepeatedFlag {
    static func extract(_ name: String, from arguments: inout [String]) throws(UsageError) -> [String] {
        var values: [String] = []
        var rest: [String] = []
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--\(name)" {
                guard index < arguments.count else { throw UsageError("--\(name) needs a value") }
                values.append(arguments[index])
                index += 1
            } else if argument.hasPrefix("--\(name)=") {
                values.append(String(argument.dropFirst(name.count + 3)))
            } else {
                rest.append(argument)
            }
        }
        arguments = rest
        return values
    }
}
