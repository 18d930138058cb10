import Model
import Native

extension Application {
    /// The dashboard's files; a folder that cannot be read is logged and serves 404s (the API
    /// works without it).
    static func dashboard(_ folder: String, logger: Logger) -> StaticFiles {
        do {
            let files = try StaticFiles.load(root: folder)
            logger.info("dashboard files loaded", ["folder": .string(folder), "files": .int(Int64(files.files.count))])
            return files
        } catch {
            logger.warning("the dashboard is not served", ["error": .string(error.description)])
            return StaticFiles(files: [:], root: folder)
        }
    }
}
