import Glibc

extension FileSystem {
    /// The canonical absolute path of `path`, with symbolic links, `.` and `..` resolved, or nil
    /// when it does not exist (or a link in it dangles).
    public static func resolvedPath(_ path: String) -> String? {
        // > realpath() expands all symbolic links and resolves references to /./, /../ and extra
        // > '/' characters ... If resolved_path is specified as NULL, then realpath() uses
        // > malloc(3) to allocate a buffer ... The caller should deallocate this buffer using free(3).
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
