import Model
import Native

extension TenantFileDecoder {
    func decodeAccess(_ map: MappingReader) -> AccessConfig {
        var access = AccessConfig()
        var digests: [[UInt8]: String] = [:]
        for (key, kind) in [("api_keys", "API key"), ("operator_keys", "operator key"), ("viewer_keys", "viewer key")] {
            guard let node = map.value(key), let items = reader.list(node, path: join(map.path, key)) else { continue }
            var names: Set<String> = []
            var keys: [AccessKey] = []
            for (offset, item) in items.enumerated() {
                var path = "\(join(map.path, key))[\(offset)]"
                guard let entry = reader.mapping(item, path: path) else { continue }
                let name = entry.value("name").flatMap { reader.identifier($0, path: join(path, "name"), allowDash: true) }
                if let name { path = join(join(map.path, key), name) }
                if let name, !names.insert(name).inserted {
                    reader.error("duplicate \(kind) name \"\(name)\"", at: entry.value("name")?.location ?? item.location,
                                 path: path)
                }
                if entry.value("name") == nil { reader.error("missing required key \"name\"", at: item, path: path) }
                guard let hashNode = entry.required("hash"), let text = reader.string(hashNode, path: join(path, "hash")) else {
                    entry.finish()
                    continue
                }
                guard let digest = AccessKey.parseDigest(text) else {
                    reader.error("expected sha256: followed by 64 hex digits (store the key's SHA-256, never the key)",
                                 at: hashNode, path: join(path, "hash"))
                    entry.finish()
                    continue
                }
                if let previous = digests[digest] {
                    reader.error("duplicate key: the same hash is already used by \(previous)", at: hashNode, path: join(path, "hash"))
                } else {
                    digests[digest] = "\(kind) \"\(name ?? "?")\""
                }
                keys.append(AccessKey(name: name ?? "", digest: digest))
                entry.finish()
            }
            switch key {
            case "api_keys": access.apiKeys = keys
            case "operator_keys": access.operatorKeys = keys
            default: access.viewerKeys = keys
            }
        }
        if let limits = map.mapping("limits") {
            access.limits.requestsPerSecond = limits.integer("requests_per_second", in: 1...100_000) ?? access.limits.requestsPerSecond
            access.limits.burst = limits.integer("burst", in: 1...1_000_000) ?? access.limits.burst
            access.limits.concurrentExecutions = limits.integer("concurrent_executions", in: 1...10_000) ?? access.limits.concurrentExecutions
            access.limits.maxBodyBytes = limits.integer("max_body_bytes", in: 1024...(16 << 20)) ?? access.limits.maxBodyBytes
            access.limits.operatorRequestsPerSecond = limits.integer("operator_requests_per_second", in: 1...100_000)
                ?? access.limits.operatorRequestsPerSecond
            access.limits.operatorBurst = limits.integer("operator_burst", in: 1...1_000_000) ?? access.limits.operatorBurst
            access.limits.maxBacklog = limits.integer("max_backlog", in: 1...1_000_000) ?? access.limits.maxBacklog
            limits.finish()
        }
        map.finish()
        return access
    }

    func decodeChannels(_ map: MappingReader) -> ChannelsConfig {
        var channels = ChannelsConfig()
        if let sms = map.mapping("sms") {
            reader.index.declared.insert("channels.sms")
            if let node = sms.required("number"), let text = reader.string(node, path: "channels.sms.number"),
               let number = checkedPhone(text, node: node, path: "channels.sms.number") {
                channels.sms = SMSChannel(number: number)
            }
            sms.finish()
        }
        if let email = map.mapping("email") {
            reader.index.declared.insert("channels.email")
            let from = email.value("from").flatMap { checkedAddress($0, path: "channels.email.from") }
            if email.value("from") == nil { reader.error("missing required key \"from\"", at: email.keyLocation, path: "channels.email") }
            let replyTo = email.value("reply_to").flatMap { checkedAddress($0, path: "channels.email.reply_to") }
            if let from { channels.email = EmailChannel(from: from, replyTo: replyTo) }
            email.finish()
        }
        if let voice = map.mapping("voice") { channels.voice = decodeVoice(voice) }
        if let reach = map.mapping("operator") { channels.operatorChannels = decodeOperatorChannels(reach) }
        if let webhooks = map.mapping("webhooks") {
            for source in WebhookSource.allCases {
                guard let hook = webhooks.mapping(source.rawValue) else { continue }
                let secrets = hook.required("secret").flatMap { reader.secrets($0, path: join(hook.path, "secret")) }
                var config = WebhookConfig(source: source, secrets: secrets ?? SecretSet(Secret("")))
                if source == .twilio || source == .twilioVoice {
                    if let node = hook.required("public_url", what: "the URL Twilio posts to, which its signature covers") {
                        config.publicURL = checkedURL(node, path: join(hook.path, "public_url"), schemes: ["https", "http"])
                    }
                }
                if source == .stripe || source == .generic, let tolerance = hook.duration("tolerance") {
                    config.tolerance = tolerance
                }
                if secrets != nil { channels.webhooks[source] = config }
                hook.finish()
            }
            webhooks.finish()
        }
        map.finish()
        return channels
    }

    /// `channels.operator`: the operator's address and number, and the order channels are tried in.
    private func decodeOperatorChannels(_ map: MappingReader) -> OperatorChannels {
        reader.index.declared.insert("channels.operator")
        var reach = OperatorChannels()
        reach.email = map.value("email").flatMap { checkedAddress($0, path: "channels.operator.email") }
        if let node = map.value("sms"), let text = reader.string(node, path: "channels.operator.sms") {
            reach.sms = checkedPhone(text, node: node, path: "channels.operator.sms")
        }
        if let node = map.value("order") {
            reader.index.declared.insert("channels.operator.order")
            reach.order = reader.choices(node, path: "channels.operator.order",
                                         from: OperatorChannel.allCases.map { ($0.rawValue, $0) }, what: "operator channel")
        }
        map.finish()
        return reach
    }

    /// `name@example.com` or `Display Name <name@example.com>`.
    private func checkedAddress(_ node: YAMLNode, path: String) -> String? {
        guard let text = reader.string(node, path: path) else { return nil }
        var address = Substring(text)
        if let open = text.lastIndex(of: "<"), text.hasSuffix(">") { address = text[text.index(after: open)..<text.index(before: text.endIndex)] }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !address.contains(" ") else {
            reader.error("expected an email address like hello@example.com or \"Name <hello@example.com>\", got \"\(text)\"",
                         at: node, path: path)
            return nil
        }
        return text
    }

    /// A URL with one of `schemes` and a host, after `${VAR}` expansion.
    func checkedURL(_ node: YAMLNode, path: String, schemes: [String]) -> String? {
        guard let text = reader.expanded(node, path: path) else { return nil }
        let parts = text.split(separator: "://", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, schemes.contains(String(parts[0]).lowercased()),
              let host = parts[1].split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first, !host.isEmpty,
              !text.contains(" ") else {
            // The text as written, not as expanded: an expanded value may hold a credential.
            let written = node.scalar?.text ?? text
            reader.error("expected a URL starting with " + schemes.map { "\($0)://" }.joined(separator: " or ") + ", got \"\(written)\"",
                         at: node, path: path)
            return nil
        }
        return text.hasSuffix("/") ? String(text.dropLast()) : text
    }
}
