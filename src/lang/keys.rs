//! The keys of the interface's texts. Each language file (`en.rs`, `ru.rs`)
//! gives a text for every key; the comment on a key says where the text is
//! shown and what its placeholders hold, for translators.

macro_rules! keys {
    ($( $(#[$doc:meta])* $key:ident, )*) => {
        /// A text of the interface; [`super::Lang::t`] gives it in a language.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Key { $( $(#[$doc])* $key, )* }

        impl Key {
            /// Every key, in the order of this file.
            pub const ALL: &'static [Key] = &[$(Key::$key),*];

            /// The key's name, as written here.
            pub fn name(self) -> &'static str {
                match self { $(Key::$key => stringify!($key),)* }
            }
        }
    };
}

keys! {
    // ---- the app shell -------------------------------------------------
    /// The line under the logo.
    Tagline,
    /// The name of this language's word for "language": the switch's label joins them all ("Language / Язык").
    Language,
    /// The side panel's accessible name.
    SidePanel,
    /// Tab and heading: the lessons.
    Lessons,
    /// Tab: the first-session help.
    TabHelp,
    /// Tab: the reference.
    TabReference,
    /// Saved progress was unreadable.
    ProgressReset,
    /// Picking a lesson resets the world.
    LessonFreshWorld,
    /// "Show me" on a question. {answer}: the expected answer.
    TheAnswer,
    /// A wrong answer to a lesson's question.
    NotQuite,

    // ---- the Help tab --------------------------------------------------
    /// Heading of the Help tab.
    HelpTitle,
    /// Tooltip of a command button in Help.
    HelpPutCommand,
    /// What `telnet mail.example.com 25` does.
    HelpConnect,
    /// What `EHLO client.example.net` does.
    HelpEhlo,
    /// What `MAIL FROM:<…>` does.
    HelpMailFrom,
    /// What `RCPT TO:<…>` does.
    HelpRcptTo,
    /// What `DATA` does.
    HelpData,
    /// What `Subject: Hello` is.
    HelpSubject,
    /// What a lone `.` does.
    HelpDot,
    /// What `QUIT` does.
    HelpQuit,
    /// Heading: the reply code classes (Help tab, Reference).
    ReplyCodes,
    /// After "2xx".
    Codes2xx,
    /// After "3xx".
    Codes3xx,
    /// After "4xx".
    Codes4xx,
    /// After "5xx".
    Codes5xx,
    /// The note under the Help tab.
    HelpUsers,

    // ---- the lesson pane -----------------------------------------------
    /// The lesson bar under the terminal (phones): its accessible name.
    Lesson,
    /// Under the lessons menu: what the terminal is without a lesson.
    SandboxText,
    /// Above the lessons menu: a first step for someone new to mail protocols.
    StartHereText,
    /// The button that opens lesson 1. {title}: its title.
    StartHere,
    /// A finished lesson in the menu.
    LessonDoneMark,
    /// Back from a lesson to the menu.
    AllLessons,
    /// Starts the open lesson again from its first step, in a fresh world.
    Restart,
    /// The answer field's label.
    YourAnswer,
    /// The answer button.
    Answer,
    /// The hint button.
    Hint,
    /// The button that types the solution.
    ShowMe,
    /// The button to the next lesson.
    NextLesson,
    /// Progress. {done}, {total}: numbers of steps.
    StepsDone,
    /// A finished lesson.
    LessonComplete,

    // ---- the reply explainer -------------------------------------------
    /// The explainer's heading.
    LastReply,
    /// The explainer before the first reply.
    ExplainEmpty,
    /// Before what to do next.
    Next,
    /// Before the meaning of a bracketed response code (`[UIDVALIDITY]`, `[IN-USE]`).
    ResponseCode,
    /// The enhanced status code. {code}: `5.1.1`.
    EnhancedStatus,
    /// Tooltip of a reply code button (terminal, lessons, dialogues).
    WhatDoesReplyMean,

    // ---- the reference -------------------------------------------------
    /// Column heading.
    RefCommand,
    /// Column heading.
    RefWhat,
    /// The button that puts a command into the terminal.
    TryIt,
    /// Its tooltip. {command}: the command.
    TryItTitle,
    /// Section: ports.
    Ports,
    /// The line above the reply codes.
    RefCodesSummary,
    /// Section: standards.
    Standards,
    /// Section: history.
    History,
    /// Section: glossary.
    Glossary,

    // ---- the journey view ----------------------------------------------
    /// The journey's heading.
    JourneyTitle,
    /// Before the first message.
    JourneyEmpty,
    /// The controls' accessible name.
    JourneyControls,
    /// The diagram's accessible name. {agents}: how many nodes; {step}, {total}: step numbers.
    JourneyDiagram,
    /// The diagram's box, which scrolls sideways on small screens.
    DiagramRegion,
    /// Control.
    FirstStep,
    /// Control.
    PreviousStep,
    /// Control.
    Pause,
    /// Control.
    Play,
    /// Control.
    NextStep,
    /// Control.
    LastStep,
    /// The speed selector's label.
    Speed,
    /// No step yet.
    NoSteps,
    /// {step} of {total}.
    StepOf,
    /// A hop's dialogue. {protocol}: SMTP or LMTP; {from}, {to}: host names; {port}: a number.
    Dialogue,
    /// The clock. {time}: an RFC 5322 date.
    SimulatedTime,
    /// The queue. {count}: messages waiting; {time}: an RFC 5322 date.
    QueueWaiting,
    /// Moves the clock to the next retry.
    SkipAhead,

    // ---- the mail client -----------------------------------------------
    /// The form's accessible name.
    MailClient,
    /// The form's heading.
    YourMailClient,
    /// The settings' summary.
    AccountSettings,
    /// Field.
    OutgoingServer,
    /// Field.
    Port,
    /// Field.
    Security,
    /// Security: none.
    SecurityNone,
    /// Field.
    Login,
    /// Field.
    Password,
    /// The provider's rules.
    ProviderRules,
    /// Rule.
    RuleFromIsLogin,
    /// Rule.
    RuleSmartHost,
    /// Rule. {limit}: where the number field goes.
    RuleHourlyLimit,
    /// Field and column: From.
    From,
    /// Field: To.
    To,
    /// Field and column: Subject.
    Subject,
    /// Field: the message's text.
    MessageText,
    /// The faults' legend.
    Faults,
    /// Fault.
    FaultGreylisting,
    /// Fault.
    FaultSpam,
    /// Fault.
    FaultMailboxFull,
    /// Fault.
    FaultDown,
    /// The send button.
    Send,
    /// Sending without a server, port or recipient.
    FillIn,
    /// Sending with an empty From.
    FromRequired,
    /// Under the spam filter switch: what it refuses.
    SpamNote,
    /// Fills the form with a message the spam filter refuses.
    SpamExample,

    // ---- what the mail client says after sending (world::outcome) -------
    /// {host}, {port}.
    SendConnectionRefused,
    /// {host}.
    SendSent,
    /// {count}: recipients accepted; {refused}: the refused ones with the server's words.
    SendPartly,
    /// {refused}: every recipient with the server's words.
    SendAllRefused,
    /// {said}: the server's reply.
    SendSenderRefused,
    /// {said}: the server's reply.
    SendRateLimited,
    /// {port}; {said}: the server's reply.
    SendAuthNotOffered,
    /// {said}: the server's reply.
    SendEncryptionRequired,
    /// {host}, {login}; {said}: the server's reply.
    SendAuthFailed,
    /// {said}: the server's reply.
    SendTryLater,
    /// {said}: the server's reply.
    SendRefused,
    /// {host}, {port}; {detail}: what went wrong, in the engine's words.
    SendConnectionFailed,
    /// After a failed TLS handshake.
    SendPlainPort,
    /// After a missing greeting.
    SendTlsPort,

    // ---- the mailboxes -------------------------------------------------
    /// Heading.
    Mailboxes,
    /// The mailbox selector's label.
    Mailbox,
    /// {count}: messages in the INBOX.
    InboxCount,
    /// Column.
    Date,
    /// The view switch's accessible name.
    ViewSwitch,
    /// View: the message.
    MessageView,
    /// View: its source.
    RawSource,
    /// Above the source. {count}: Received: lines.
    ReceivedLines,
    /// An attachment. {name}, {kind}: its name and MIME type; {bytes}: its size.
    Attachment,
    /// An attachment without a name.
    Unnamed,
    /// A message without a Subject, in the list.
    NoSubject,
    /// Heading of a message inside the message (a bounce's returned message).
    ReturnedMessage,

    // ---- the terminal --------------------------------------------------
    /// Accessible name.
    Terminal,
    /// Accessible name of the output.
    TerminalOutput,
    /// Accessible name of the input line.
    TerminalInput,
    /// The first line of the terminal.
    Welcome,
    /// The second line of the terminal.
    WelcomeTry,
    /// A lesson replaced the world while connected. {host}: the server.
    ConnectionClosedByReset,
    /// The title bar's button that closes the connection (telnet's ^] then close).
    Disconnect,
    /// Its tooltip.
    DisconnectTitle,
    /// A paste longer than the line was cut. {max}: the line's length.
    PasteCut,
    /// The title bar while connected. {host}: the server.
    TerminalConnected,
    /// The title bar otherwise.
    TerminalNotConnected,
    // ---- the transcript explorer and links --------------------------------
    /// The side panel's Transcripts tab.
    TabTranscripts,
    /// The explorer's heading.
    TranscriptsTitle,
    /// Under the heading: what can be pasted.
    TranscriptsIntro,
    /// The text area's label.
    TranscriptPaste,
    /// The format picker's label.
    TranscriptFormat,
    /// The format picker's first choice.
    TranscriptAuto,
    /// The button that reads the pasted text.
    TranscriptExplain,
    /// The file picker's label.
    TranscriptOpen,
    /// The button that takes the terminal's session into the explorer.
    TranscriptFromTerminal,
    /// The problems list's heading.
    TranscriptProblems,
    /// When there are none.
    TranscriptNoProblems,
    /// Before a problem. {line}: its line number.
    TranscriptLine,
    /// The timeline's heading.
    TranscriptSteps,
    /// The first step's label, instead of a client line.
    TranscriptGreeting,
    /// A folded message text. {count}: its lines.
    TranscriptMessageText,
    /// Folded SASL responses. {count}: how many.
    TranscriptSasl,
    /// A step's mark: sent inside TLS.
    TranscriptTls,
    /// Shown when the transcript has lines sent inside TLS.
    TranscriptTlsNote,
    /// Over the summary. {protocol}: SMTP, POP3…; {format}: the format's name; {steps}: the number of steps.
    TranscriptRead,
    /// The export buttons' group label.
    TranscriptExport,
    /// Export as C:/S: lines.
    TranscriptExportCs,
    /// Export as plain text.
    TranscriptExportText,
    /// Export as JSON.
    TranscriptExportJson,
    /// Export as an asciicast.
    TranscriptExportCast,
    /// The checkbox that keeps credentials in exports and links.
    TranscriptKeepSecrets,
    /// The button that makes a share link.
    TranscriptShare,
    /// Over the link made.
    TranscriptShareDone,
    /// The share link field's label.
    TranscriptShareLabel,
    /// The share link would be too long. {length}: its length; {max}: the limit.
    TranscriptTooLong,
    /// The button that replays the client's lines in the terminal.
    TranscriptPlay,
    /// Under it.
    TranscriptPlayNote,
    /// When only part of the steps is shown. {count}: how many.
    TranscriptCut,
    /// No text to explain.
    TranscriptEmpty,
    /// Not a mail session. {count}: lines read.
    TranscriptNoProtocol,
    /// Binary data.
    TranscriptBinary,
    /// A note of what reading had to leave out. {note}: the note.
    TranscriptNoted,
    /// The link opened had a part that could not be used. {problem}: what.
    LinkProblem,
    /// The journey's button that opens a hop's dialogue in the explorer.
    DialogueExplore,
    /// The replay bar under the terminal. {done}: lines sent; {total}: all.
    ReplayProgress,
    /// Pauses the replay.
    ReplayPause,
    /// Resumes it.
    ReplayResume,
    /// Sends the next line only.
    ReplayStep,
    /// Ends the replay.
    ReplayStop,
    /// The replay bar's accessible name.
    ReplayLabel,
    /// Exports the terminal's screen (prompts and all) as an asciicast.
    TranscriptScreenCast,
    /// Exports the terminal's screen as text.
    TranscriptScreenText,
    /// Before a step's new session state.
    TranscriptStateLabel,
    /// The button that replays the transcript against mailsim's server and compares.
    TranscriptCompare,
    /// The server picker's label.
    TranscriptAgainst,
    /// A step's mark: the same code, other text.
    TranscriptSameCode,
    /// A step's mark: mailsim answers otherwise.
    TranscriptDiffers,
    /// Over mailsim's reply to a step. {server}: its name.
    TranscriptOurs,
    /// The lessons menu's file picker.
    LessonOpenFile,
    /// Under it.
    LessonOpenFileText,
    /// Over the problems of a lesson file that could not be read.
    LessonFileErrors,
    /// A lesson link's file could not be fetched. {url}: the address; {why}: the reason.
    LessonFetchFailed,
    /// The header's presenter mode switch.
    Presenter,
    /// Its tooltip.
    PresenterTitle,
    /// The lessons menu's button to the progress page.
    ProgressPage,
    /// The progress page's heading.
    ProgressTitle,
    /// Under it: what the page is and is not.
    ProgressNote,
    /// No step done yet.
    ProgressEmpty,
    /// Downloads the progress.
    ProgressDownload,
    /// Prints it.
    ProgressPrint,
    /// Back to the menu.
    ProgressBack,
    /// A step done. {step}: its number; {title}: its title; {time}: when.
    ProgressStep,
    /// Before the commands typed for a step.
    ProgressTyped,
    /// A lesson's line. {done}, {total}: steps.
    ProgressSteps,
    /// Resets all progress.
    ResetAll,
    /// Its confirmation.
    ResetAllConfirm,
    /// Starts a fresh world (the terminal and mailboxes).
    ResetWorld,
    /// Its confirmation.
    ResetWorldConfirm,
    /// Confirmation before a lesson starts over.
    RestartConfirm,
    /// Goes back one step of the lesson.
    StepBack,
    /// Its confirmation.
    StepBackConfirm,
    /// A file too big for the text box was loaded. {size}: its size in MB.
    TranscriptBig,
    /// The lesson builder's heading on the lessons menu.
    BuilderTitle,
    /// Under it.
    BuilderText,
    /// Starts recording.
    BuilderRecord,
    /// Stops it and proposes the lesson.
    BuilderStop,
    /// While recording. {count}: lines recorded.
    BuilderRecording,
    /// The proposed lesson's text box.
    BuilderLabel,
    /// Checks the lesson in a fresh world.
    BuilderCheck,
    /// The check passed. {steps}: the number of steps.
    BuilderOk,
    /// Downloads the lesson file.
    BuilderDownload,
    /// Opens it as a lesson.
    BuilderOpen,
    /// Nothing worth a step was recorded.
    BuilderNothing,
    /// The replay's speed picker.
    ReplaySpeed,
    /// The lessons menu's scenario file picker (a world set-up for the sandbox).
    ScenarioOpenFile,
    /// The script player's controls (a group).
    PlayerLabel,
    /// Plays the script.
    PlayerPlay,
    /// Pauses the script.
    PlayerPause,
    /// One command back (replays the ones before in a fresh world).
    PlayerBack,
    /// The next command, entered at once.
    PlayerForward,
    /// Starts the script over in a fresh world.
    PlayerRestart,
    /// Copies the terminal's transcript.
    PlayerCopy,
    /// The transcript was copied.
    PlayerCopied,
    /// The browser refused to copy the transcript.
    PlayerCopyRefused,
    /// Where the script is. {done}, {total}: commands.
    PlayerProgress,
    /// A #pause in the script was reached.
    PlayerPaused,
    /// The script ended: the reader's turn.
    PlayerYourTurn,
    /// The player's keyboard shortcuts.
    PlayerKeys,
    /// An embedding option that could not be used. {problem}: what.
    EmbedProblem,
}
