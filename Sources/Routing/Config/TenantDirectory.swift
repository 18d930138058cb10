import Model
import Native

/// Which files of a tenants folder are tenant files: `*.yaml` and `*.yml`, not hidden, not an
/// editor's backup, swap or lock file, and not a temporary file mid-rename.
public enum TenantDirectory {
    public static func isTenantFile(_ name: String) -> Bool {
        guard name.hasSuffix(".yaml") || name.hasSuffix(".yml") else { return false }
        return !name.hasPrefix(".") && !name.hasPrefix("#") && !name.hasSuffix("~")
    }

    /// The tenant files directly inside `directory`, sorted by name.
    ///
    /// - Throws: `SystemError` when the folder cannot be listed.
    public static func files(in directory: String) throws(SystemError) -> [String] {
        try FileSystem.listDirectory(directory)
            .filter { $0.kind == .file && isTenantFile($0.name) }
            .map { directory + "/" + $0.name }
    }

    /// Files named directly and the tenant files of folders named, in order, without repeats.
    public static func expand(_ paths: [String]) -> (files: [String], problems: [String]) {
        var files: [String] = []
        var problems: [String] = []
        for path in paths {
            switch FileSystem.kind(of: path) {
            case .directory?:
                let trimmed = path.hasSuffix("/") && path.count > 1 ? String(path.dropLast()) : path
                do {
                    let found = try TenantDirectory.files(in: trimmed)
                    if found.isEmpty { problems.append("\(path): no tenant files (*.yaml) in this folder") }
                    files += found
                } catch {
                    problems.append("\(path): \(error)")
                }
            case .file?: files.append(path)
            default: problems.append("\(path): no such file or folder")
            }
        }
        var seen: Set<String> = []
        return (files.filter { seen.insert($0).inserted }, problems)
    }
}
