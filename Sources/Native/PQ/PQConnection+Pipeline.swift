internal import CPQ
import Glibc

extension PQConnection {
    /// Sends `commands` as one pipeline ending in one sync, and returns each command's result.
    ///
    /// The commands before a sync run in one implicit transaction, committed at the sync. From
    /// libpq's documentation of pipeline mode:
    /// > If the pipeline used an implicit transaction, then operations that have already executed
    /// > are rolled back and operations that were queued to follow the failed operation are
    /// > skipped entirely.
    ///
    /// So a pipeline is atomic and costs one round trip (and, for writes, one commit). After a
    /// failure the commands that follow were not run: their results repeat the first error.
    /// - Throws: `PQError` with `isConnectionFailure` when the connection broke; call
    ///   `reconnect()` before using it again.
    public func run(_ commands: [PQCommand]) throws(PQError) -> [Result<PQRows, PQError>] {
        guard isHealthy else { throw connectionError(sql: commands.first?.sql) }
        guard PQenterPipelineMode(handle) == 1 else { throw connectionError(sql: commands.first?.sql) }
        var units: [Unit] = []
        units.reserveCapacity(commands.count * 2)
        for (index, command) in commands.enumerated() {
            let name: String
            if let known = statements[command.sql] {
                name = known
            } else {
                name = "sb\(nextStatement)"
                nextStatement += 1
                statements[command.sql] = name
                guard PQsendPrepare(handle, name, command.sql, 0, nil) == 1 else { throw abandon(command.sql) }
                units.append(.prepare(sql: command.sql))
            }
            let sent = Self.withCStrings(command.values.map(\.wireText)) { values in
                PQsendQueryPrepared(handle, name, Int32(command.values.count), values, nil, nil, 0)
            }
            guard sent == 1 else { throw abandon(command.sql) }
            units.append(.execute(index: index))
        }
        guard PQpipelineSync(handle) == 1 else { throw abandon(commands.first?.sql) }

        var results = [Result<PQRows, PQError>?](repeating: nil, count: commands.count)
        var firstError: PQError?
        for unit in units {
            let sql: String
            switch unit {
            case .prepare(let text): sql = text
            case .execute(let index): sql = commands[index].sql
            }
            guard let result = try nextResult(sql: sql) else { throw abandon(sql) }
            let status = PQresultStatus(result)
            switch unit {
            case .prepare(let text):
                if status != PGRES_COMMAND_OK {
                    statements[text] = nil
                    if status == PGRES_FATAL_ERROR, firstError == nil { firstError = error(from: result, sql: text) }
                }
            case .execute(let index):
                if status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK {
                    results[index] = .success(Self.rows(of: result))
                } else {
                    if status == PGRES_FATAL_ERROR, firstError == nil { firstError = error(from: result, sql: sql) }
                    results[index] = .failure(firstError ?? PQError(message: "not run: an earlier statement in its pipeline failed",
                                                                    sql: sql, server: url.redacted))
                }
            }
            PQclear(result)
            // > PQgetResult must be called repeatedly until it returns a null pointer, indicating that
            // > the command is done.
            if let extra = try nextResult(sql: sql) {
                PQclear(extra)
                throw abandon(sql)
            }
        }
        guard let sync = try nextResult(sql: nil) else { throw abandon(nil) }
        let synced = PQresultStatus(sync) == PGRES_PIPELINE_SYNC
        PQclear(sync)
        guard synced, PQexitPipelineMode(handle) == 1 else { throw abandon(nil) }
        if isInTransaction, firstError != nil { _ = try? query("ROLLBACK") }
        return results.map { $0 ?? .failure(PQError(message: "no result", server: url.redacted)) }
    }

    private enum Unit {
        case prepare(sql: String)
        case execute(index: Int)
    }

    /// The protocol state is unknown after a failure mid-pipeline: the connection is marked
    /// broken, so that it is re-established (`reconnect()`) before its next use.
    private func abandon(_ sql: String?) -> PQError {
        let failure = connectionError(sql: sql)
        isBroken = true
        return failure
    }

    /// The next result, flushing what is left to send and waiting for the server as needed.
    private func nextResult(sql: String?) throws(PQError) -> OpaquePointer? {
        while true {
            // > Returns 0 if successful (or if the send queue is empty), -1 if it failed for some
            // > reason, or 1 if it was unable to send all the data in the send queue yet.
            let flushed = PQflush(handle)
            guard flushed >= 0 else { throw abandon(sql) }
            if PQisBusy(handle) == 0 { return PQgetResult(handle) }
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN | (flushed == 1 ? POLLOUT : 0)), revents: 0)
            let ready = poll(&descriptor, 1, ioTimeoutMillis)
            if ready < 0 && errno == EINTR { continue }
            guard ready > 0 else {
                let failure = PQError(message: "no answer from the server within \(ioTimeoutMillis / 1000) s", sql: sql,
                                      server: url.redacted, isConnectionFailure: true)
                isBroken = true
                throw failure
            }
            guard PQconsumeInput(handle) == 1 else { throw abandon(sql) }
        }
    }

    private static func rows(of result: OpaquePointer) -> PQRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var cells: [String?] = []
        cells.reserveCapacity(rowCount * columnCount)
        for row in 0..<Int32(rowCount) {
            for column in 0..<Int32(columnCount) {
                if PQgetisnull(result, row, column) == 1 {
                    cells.append(nil)
                } else {
                    let length = Int(PQgetlength(result, row, column))
                    let value = PQgetvalue(result, row, column)!
                    cells.append(value.withMemoryRebound(to: UInt8.self, capacity: length) {
                        String(decoding: UnsafeBufferPointer(start: $0, count: length), as: UTF8.self)
                    })
                }
            }
        }
        let tag = PQcmdTuples(result).map { String(cString: $0) } ?? ""
        return PQRows(rowCount: rowCount, columnCount: columnCount, cells: cells, affected: Int(tag) ?? rowCount)
    }
}
