//! English: the interface's texts. A translator copies this file to a new
//! language, translates the right-hand sides and keeps every `{placeholder}`
//! (see docs/translating.md). Spacing around a text belongs to the code.

use super::Key::{self, *};

pub(super) fn text(key: Key) -> &'static str {
    match key {
        // ---- the app shell
        Tagline => "Type SMTP, POP3 and IMAP by hand to simulated Postfix and Dovecot servers, and watch mail travel.",
        Language => "Language",
        SidePanel => "Lessons and help",
        Lessons => "Lessons",
        TabHelp => "Help",
        TabReference => "Reference",
        ProgressReset => "Saved progress could not be read and was reset.",
        LessonFreshWorld => "This lesson starts in a fresh world: any open connection was closed.",
        TheAnswer => "The answer: {answer}",
        NotQuite => "Not quite. Try again, or ask for a hint.",

        // ---- the Help tab
        HelpTitle => "A first SMTP session",
        HelpPutCommand => "Put this command in the terminal",
        HelpConnect => "connect to the mail server's SMTP port",
        HelpEhlo => "say who you are; the server lists its extensions",
        HelpMailFrom => "start a transaction: the envelope sender",
        HelpRcptTo => "an envelope recipient (repeatable)",
        HelpData => "then the message: headers, a blank line, the body, and a lone .",
        HelpSubject => "a header line of the message",
        HelpDot => "a line with only a dot ends the message",
        HelpQuit => "end the session",
        ReplyCodes => "Reply codes",
        Codes2xx => "done",
        Codes3xx => "go on (354: send the message)",
        Codes4xx => "failed for now: try again later",
        Codes5xx => "failed for good",
        HelpUsers => "Users of example.com: alice, bob, theboss, postmaster. Type help for shell commands.",

        // ---- the lesson pane
        Lesson => "Lesson",
        Sandbox => "Free sandbox (no lesson)",
        SandboxText => "The sandbox: type anything, nothing is checked. Pick a lesson to be guided step by step.",
        YourAnswer => "Your answer",
        Answer => "Answer",
        Hint => "Hint",
        ShowMe => "Show me",
        NextLesson => "Next lesson →",
        StepsDone => "Steps done: {done} / {total}",
        LessonComplete => "Lesson complete. Well done!",

        // ---- the reply explainer
        LastReply => "Last reply",
        ExplainEmpty => "Connect to a server: each reply it sends is explained here. Click any reply code in the terminal to see it again.",
        Next => "Next:",
        ResponseCode => "Response code",
        EnhancedStatus => "Enhanced status {code}",
        WhatDoesReplyMean => "What does this reply mean?",

        // ---- the reference
        RefCommand => "Command",
        RefWhat => "What it does",
        TryIt => "Try it",
        TryItTitle => "Put '{command}' into the terminal",
        Ports => "Ports",
        RefCodesSummary => "2xx done · 3xx go on · 4xx try again later · 5xx failed for good. The enhanced code (RFC 3463) says class.subject.detail.",
        Standards => "Standards",
        History => "History",
        Glossary => "Glossary",

        // ---- the journey view
        JourneyTitle => "Journey of the last message",
        JourneyEmpty => "Send a message (the form, or SMTP typed in the terminal) and watch it travel: every hop, protocol and port.",
        JourneyControls => "Journey controls",
        JourneyDiagram => "Diagram of {agents} agents; the message is at step {step} of {total}",
        FirstStep => "First step",
        PreviousStep => "Previous step",
        Pause => "Pause",
        Play => "Play",
        NextStep => "Next step",
        LastStep => "Last step",
        Speed => "Speed",
        NoSteps => "No steps yet",
        StepOf => "Step {step} of {total}",
        Dialogue => "{protocol} dialogue {from} → {to}:{port}",
        SimulatedTime => "Simulated time: {time}.",
        QueueWaiting => "Messages waiting in a queue: {count}; next attempt at {time}.",
        SkipAhead => "Skip ahead to the next attempt",

        // ---- the mail client
        MailClient => "Mail client",
        YourMailClient => "Your mail client",
        AccountSettings => "Account settings (server, port, security, login)",
        OutgoingServer => "Outgoing server (SMTP)",
        Port => "Port",
        Security => "Security",
        SecurityNone => "None",
        Login => "Login",
        Password => "Password",
        ProviderRules => "Your provider's rules",
        RuleFromIsLogin => "From must be the login's own address",
        RuleSmartHost => "Relay outbound mail via the smart host relay.example.net",
        RuleHourlyLimit => "At most {limit} messages per hour",
        From => "From",
        To => "To",
        Subject => "Subject",
        MessageText => "Message",
        Faults => "What goes wrong at example.org",
        FaultGreylisting => "Greylisting (450, retry later)",
        FaultSpam => "Spam filter",
        FaultMailboxFull => "carol's mailbox is full",
        FaultDown => "mail.example.org is down",
        Send => "Send",
        FillIn => "Fill in the server, a port number and at least one recipient.",

        // ---- what the mail client says after sending
        SendConnectionRefused => "Could not connect to {host}:{port}: connection refused. Is the server name and port right?",
        SendSent => "Sent: {host} accepted the message for delivery.",
        SendPartly => "Sent to {count} recipient(s); refused: {refused}",
        SendAllRefused => "Not sent. The server refused every recipient — {refused}",
        SendSenderRefused => "The server refused the sender ({said}): the From address must be your own.",
        SendRateLimited => "Not sent: {said}. Your provider limits how many messages you may send; try again later.",
        SendAuthNotOffered => "This server does not offer login on port {port} ({said}). Use the submission port 587 (STARTTLS) or 465 (SSL/TLS).",
        SendEncryptionRequired => "The server wants an encrypted connection before the password ({said}). Choose STARTTLS or SSL/TLS.",
        SendAuthFailed => "Could not authenticate: login to {host} with user name {login} failed ({said}). Check the login and password.",
        SendTryLater => "The server refused for now ({said}). Try again later.",
        SendRefused => "The server refused the message ({said}).",
        SendConnectionFailed => "Connection to {host}:{port} failed: {detail}.",
        SendPlainPort => "This port speaks plain SMTP first: choose STARTTLS (port 587) or no security.",
        SendTlsPort => "This port expects SSL/TLS from the first byte: choose SSL/TLS (port 465).",

        // ---- the mailboxes
        Mailboxes => "Mailboxes",
        Mailbox => "Mailbox",
        InboxCount => "INBOX: {count} message(s)",
        Date => "Date",
        ViewSwitch => "View",
        MessageView => "Message",
        RawSource => "Raw source",
        ReceivedLines => "{count} Received: lines: read them from the bottom (the first hop) up (the last).",
        Attachment => "📎 {name} ({kind}, {bytes} bytes)",

        // ---- the terminal
        Terminal => "Terminal",
        TerminalOutput => "Terminal output",
        TerminalInput => "Terminal input: type a command and press Enter",
        TerminalConnected => "connected to {host}",
        TerminalNotConnected => "not connected",
    }
}
