internal import CCurl

// Options for the kinds of transfer: proxy, HTTP method, SMTP envelope.
extension CurlEasy {
    func configureProxy(_ proxy: CurlRequest.Proxy) {
        switch proxy {
        // > Setting the proxy string to "" (an empty string) explicitly disables the use of a proxy,
        // > even if there is an environment variable set for it.
        // It also spares the environment lookups libcurl otherwise makes for every transfer.
        case .none: set(CURLOPT_PROXY, "")
        case .environment: break
        case .url(let url): set(CURLOPT_PROXY, url)
        }
    }

    func configureMethod(_ method: String) {
        switch method {
        case "GET" where bodyCount == 0:
            set(CURLOPT_HTTPGET, 1)
        case "HEAD":
            set(CURLOPT_NOBODY, 1)
        case "POST":
            set(CURLOPT_POST, 1)
        default:
            set(CURLOPT_CUSTOMREQUEST, method)
        }
    }

    func configureMail(_ mail: CurlRequest.Mail, login: CurlRequest.Login?) {
        set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
        set(CURLOPT_MAIL_FROM, "<\(mail.from)>")
        for recipient in mail.recipients {
            recipientList = curl_slist_append(recipientList, "<\(recipient)>")
        }
        set(CURLOPT_MAIL_RCPT, pointer: recipientList.map(UnsafeRawPointer.init))
        // > CURLUSESSL_TRY - Try using SSL, proceed anyway otherwise.
        // > CURLUSESSL_ALL - Require SSL for all communication or fail with CURLE_USE_SSL_FAILED.
        switch mail.security {
        case .none: set(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
        case .startTLSIfAvailable: set(CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
        case .requireStartTLS: set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
        }
        if let login {
            set(CURLOPT_USERNAME, login.user)
            set(CURLOPT_PASSWORD, login.password)
        }
        // > CURLOPT_UPLOAD ... tells the library to prepare for and perform an upload. The
        // > CURLOPT_READDATA and CURLOPT_INFILESIZE_LARGE options are also interesting for uploads.
        // For SMTP the upload is the message.
        set(CURLOPT_UPLOAD, 1)
        check(switchboard_curl_easy_setopt_off(handle, CURLOPT_INFILESIZE_LARGE, curl_off_t(bodyCount)))
    }
}
