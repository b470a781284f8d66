extension SMTPTestServer {
    /// The server: Debian's aiosmtpd on 127.0.0.1, port chosen by the OS. Its one argument is a
    /// JSON object: `folder`, and optionally `refuse` (addresses to answer 550), `defer` (addresses
    /// to answer 450, "try again later"), `mailReply` (a refusal to answer every MAIL FROM with),
    /// `cert` and `key` (offer STARTTLS and require it), `user` and `password` (require a login).
    ///
    /// It prints `ready <port>`, then for each message `message <folder>` once it has saved, in
    /// that folder, `raw.eml` (the data as received, dot-unstuffed) and `summary.json` (envelope,
    /// TLS and login state, and the message as Python's `email` package parses it). MAIL and RCPT
    /// commands are logged to `commands.log` before they are answered. It exits when its standard
    /// input closes.
    public static let script = #"""
        import asyncio, base64, json, os, ssl, sys
        from email import message_from_bytes, policy
        from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

        config = json.loads(sys.argv[1])
        folder = config["folder"]

        def log(line):
            with open(os.path.join(folder, "commands.log"), "a") as f:
                f.write(line + "\n")

        class Handler:
            count = 0

            async def handle_MAIL(self, server, session, envelope, address, options):
                log("MAIL " + address)
                if "mailReply" in config:
                    return config["mailReply"]
                envelope.mail_from = address
                envelope.mail_options.extend(options)
                return "250 OK"

            async def handle_RCPT(self, server, session, envelope, address, options):
                log("RCPT " + address)
                if address in config.get("refuse", []):
                    return "550 5.1.1 <%s>: recipient refused" % address
                if address in config.get("defer", []):
                    return "450 4.2.1 <%s>: mailbox busy, try again later" % address
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                Handler.count += 1
                target = os.path.join(folder, "message-%d" % Handler.count)
                os.mkdir(target)
                raw = envelope.original_content
                with open(os.path.join(target, "raw.eml"), "wb") as f:
                    f.write(raw)
                message = message_from_bytes(raw, policy=policy.default)
                parts = []
                defects = [str(d) for d in message.defects]
                for part in message.walk():
                    defects += [str(d) for d in part.defects]
                    if part.is_multipart():
                        continue
                    parts.append({
                        "contentType": part.get_content_type(),
                        "charset": part.get_content_charset(),
                        "disposition": part.get_content_disposition(),
                        "fileName": part.get_filename(),
                        "data": base64.b64encode(part.get_payload(decode=True)).decode(),
                    })
                summary = {
                    "mailFrom": envelope.mail_from,
                    "recipients": envelope.rcpt_tos,
                    "tls": session.ssl is not None,
                    "authenticated": bool(session.authenticated),
                    "headerNames": list(message.keys()),
                    "subject": str(message["Subject"]),
                    "to": str(message["To"]),
                    "defects": defects,
                    "parts": parts,
                }
                with open(os.path.join(target, "summary.json"), "w") as f:
                    json.dump(summary, f)
                print("message " + target, flush=True)
                return "250 2.0.0 OK: queued"

        def authenticator(server, session, envelope, mechanism, data):
            ok = (isinstance(data, LoginPassword) and data.login == config["user"].encode()
                  and data.password == config["password"].encode())
            return AuthResult(success=ok, handled=False)

        async def main():
            loop = asyncio.get_running_loop()
            options = {"hostname": "localhost"}
            if "cert" in config:
                context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
                context.load_cert_chain(config["cert"], config["key"])
                options.update(tls_context=context, require_starttls=True)
            if "user" in config:
                options.update(authenticator=authenticator, auth_required=True)
            handler = Handler()
            server = await loop.create_server(lambda: SMTP(handler, **options), "127.0.0.1", 0)
            print("ready %d" % server.sockets[0].getsockname()[1], flush=True)
            stdin_closed = loop.create_future()

            def on_input():
                if not os.read(sys.stdin.fileno(), 4096) and not stdin_closed.done():
                    stdin_closed.set_result(None)

            loop.add_reader(sys.stdin.fileno(), on_input)
            await stdin_closed
            server.close()

        asyncio.run(main())
        """#
}
