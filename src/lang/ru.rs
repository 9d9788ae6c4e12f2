//! Russian: the interface's texts (see `en.rs` and docs/translating.md).

use super::Key::{self, *};

/// Keys whose Russian text is still the English one: these were English in
/// the Russian interface before the catalogues, and stay so until translated
/// (a test checks the list is exact).
#[cfg(test)]
pub(super) const UNTRANSLATED: &[Key] = &[
    HelpPutCommand,
    WhatDoesReplyMean,
    JourneyControls,
    JourneyDiagram,
    ViewSwitch,
    Attachment,
    Terminal,
    TerminalOutput,
    TerminalInput,
    TerminalConnected,
    TerminalNotConnected,
];

pub(super) fn text(key: Key) -> &'static str {
    match key {
        // ---- the app shell
        Tagline => "Набирайте SMTP, POP3 и IMAP вручную, говорите с моделями Postfix и Dovecot и смотрите, как путешествует почта.",
        Language => "Язык",
        SidePanel => "Уроки и справка",
        Lessons => "Уроки",
        TabHelp => "Справка",
        TabReference => "Справочник",
        ProgressReset => "Сохранённый прогресс не удалось прочитать, он сброшен.",
        LessonFreshWorld => "Урок начинается в новом мире: открытые соединения закрыты.",
        TheAnswer => "Ответ: {answer}",
        NotQuite => "Не совсем. Попробуйте ещё раз или возьмите подсказку.",

        // ---- the Help tab
        HelpTitle => "Первый сеанс SMTP",
        HelpPutCommand => "Put this command in the terminal",
        HelpConnect => "подключиться к SMTP-порту почтового сервера",
        HelpEhlo => "представиться; сервер перечислит расширения",
        HelpMailFrom => "начать транзакцию: отправитель конверта",
        HelpRcptTo => "получатель конверта (можно несколько)",
        HelpData => "затем письмо: заголовки, пустая строка, тело и одиночная точка",
        HelpSubject => "строка заголовка письма",
        HelpDot => "строка из одной точки завершает письмо",
        HelpQuit => "завершить сеанс",
        ReplyCodes => "Коды ответов",
        Codes2xx => "выполнено",
        Codes3xx => "продолжайте (354: передавайте письмо)",
        Codes4xx => "временная ошибка: повторите позже",
        Codes5xx => "постоянная ошибка",
        HelpUsers => "Пользователи example.com: alice, bob, theboss, postmaster. Команда help покажет команды оболочки.",

        // ---- the lesson pane
        Lesson => "Урок",
        Sandbox => "Песочница (без урока)",
        SandboxText => "Песочница: набирайте что угодно, ничего не проверяется. Выберите урок, чтобы идти по шагам.",
        YourAnswer => "Ваш ответ",
        Answer => "Ответить",
        Hint => "Подсказка",
        ShowMe => "Показать",
        NextLesson => "Следующий урок →",
        StepsDone => "Сделано шагов: {done} / {total}",
        LessonComplete => "Урок пройден. Отлично!",

        // ---- the reply explainer
        LastReply => "Последний ответ",
        ExplainEmpty => "Подключитесь к серверу: каждый его ответ объясняется здесь. Щёлкните код ответа в терминале, чтобы увидеть объяснение снова.",
        Next => "Дальше:",
        ResponseCode => "Код ответа",
        EnhancedStatus => "Расширенный код {code}",
        WhatDoesReplyMean => "What does this reply mean?",

        // ---- the reference
        RefCommand => "Команда",
        RefWhat => "Что делает",
        TryIt => "Попробовать",
        TryItTitle => "Вставить «{command}» в терминал",
        Ports => "Порты",
        RefCodesSummary => "2xx выполнено · 3xx продолжайте · 4xx повторите позже · 5xx окончательная ошибка. Расширенный код (RFC 3463): класс.тема.деталь.",
        Standards => "Стандарты",
        History => "История",
        Glossary => "Словарь",

        // ---- the journey view
        JourneyTitle => "Путь последнего письма",
        JourneyEmpty => "Отправьте письмо (формой или набрав SMTP в терминале) и смотрите, как оно путешествует: каждый переход, протокол и порт.",
        JourneyControls => "Journey controls",
        JourneyDiagram => "Diagram of {agents} agents; the message is at step {step} of {total}",
        FirstStep => "Первый шаг",
        PreviousStep => "Предыдущий шаг",
        Pause => "Пауза",
        Play => "Воспроизвести",
        NextStep => "Следующий шаг",
        LastStep => "Последний шаг",
        Speed => "Скорость",
        NoSteps => "Шагов пока нет",
        StepOf => "Шаг {step} из {total}",
        Dialogue => "Диалог {protocol} {from} → {to}:{port}",
        SimulatedTime => "Модельное время: {time}.",
        QueueWaiting => "Писем в очереди: {count}; следующая попытка в {time}.",
        SkipAhead => "Перемотать к следующей попытке",

        // ---- the mail client
        MailClient => "Почтовый клиент",
        YourMailClient => "Ваш почтовый клиент",
        AccountSettings => "Настройки учётной записи (сервер, порт, защита, логин)",
        OutgoingServer => "Сервер исходящей почты (SMTP)",
        Port => "Порт",
        Security => "Защита",
        SecurityNone => "Нет",
        Login => "Логин",
        Password => "Пароль",
        ProviderRules => "Правила провайдера",
        RuleFromIsLogin => "From должен быть адресом этого логина",
        RuleSmartHost => "Отправлять исходящую почту через релей relay.example.net",
        RuleHourlyLimit => "Не более {limit} писем в час",
        From => "От",
        To => "Кому",
        Subject => "Тема",
        MessageText => "Текст",
        Faults => "Что ломается в example.org",
        FaultGreylisting => "Грейлистинг (450, повтор позже)",
        FaultSpam => "Спам-фильтр",
        FaultMailboxFull => "ящик carol переполнен",
        FaultDown => "mail.example.org недоступен",
        Send => "Отправить",
        FillIn => "Укажите сервер, номер порта и хотя бы одного получателя.",

        // ---- what the mail client says after sending
        SendConnectionRefused => "Не удалось подключиться к {host}:{port}: соединение отклонено. Верны ли имя сервера и порт?",
        SendSent => "Отправлено: {host} принял письмо к доставке.",
        SendPartly => "Отправлено получателям: {count}; отклонены: {refused}",
        SendAllRefused => "Не отправлено. Сервер отклонил всех получателей — {refused}",
        SendSenderRefused => "Сервер отклонил отправителя ({said}): адрес From должен быть вашим.",
        SendRateLimited => "Не отправлено: {said}. Провайдер ограничивает число писем; попробуйте позже.",
        SendAuthNotOffered => "Этот сервер не предлагает вход на порту {port} ({said}). Используйте порт отправки 587 (STARTTLS) или 465 (SSL/TLS).",
        SendEncryptionRequired => "Сервер требует шифрования до передачи пароля ({said}). Выберите STARTTLS или SSL/TLS.",
        SendAuthFailed => "Не удалось войти: вход на {host} с именем {login} не удался ({said}). Проверьте логин и пароль.",
        SendTryLater => "Сервер временно отказал ({said}). Повторите позже.",
        SendRefused => "Сервер отклонил письмо ({said}).",
        SendConnectionFailed => "Соединение с {host}:{port}: ошибка: {detail}.",
        SendPlainPort => "Этот порт сначала говорит на обычном SMTP: выберите STARTTLS (порт 587) или без защиты.",
        SendTlsPort => "Этот порт ждёт SSL/TLS с первого байта: выберите SSL/TLS (порт 465).",

        // ---- the mailboxes
        Mailboxes => "Почтовые ящики",
        Mailbox => "Ящик",
        InboxCount => "INBOX: {count} писем",
        Date => "Дата",
        ViewSwitch => "View",
        MessageView => "Письмо",
        RawSource => "Исходный текст",
        ReceivedLines => "{count} строк Received: читайте снизу (первый переход) вверх (последний).",
        Attachment => "📎 {name} ({kind}, {bytes} bytes)",

        // ---- the terminal
        Terminal => "Terminal",
        TerminalOutput => "Terminal output",
        TerminalInput => "Terminal input: type a command and press Enter",
        TerminalConnected => "connected to {host}",
        TerminalNotConnected => "not connected",
    }
}
