import Synchronization

/// File names as small numbers, so a node carries its file in four bytes instead of a String
/// that every copy of the node would retain and release.
enum SourceFileNames {
    private static let table = Mutex<(names: [String], ids: [String: Int32])>(([], [:]))

    static func id(for name: String) -> Int32 {
        table.withLock { table in
            if let id = table.ids[name] { return id }
            let id = Int32(table.names.count)
            table.names.append(name)
            table.ids[name] = id
            return id
        }
    }

    static func name(_ id: Int32) -> String {
        table.withLock { $0.names[Int(id)] }
    }
}
