<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>BackupPage</name>
    <message>
        <source>Backup</source>
        <translation>Sicherung</translation>
    </message>
    <message>
        <source>Choose where</source>
        <translation>Du entscheidest, wo</translation>
    </message>
    <message>
        <source>Pick friends&apos; devices or nodes as backup targets, within the space they granted you.</source>
        <translation>Wähle Geräte oder Knoten von Freunden als Sicherungsziele, im Rahmen des Speichers, den sie dir gewähren.</translation>
    </message>
    <message>
        <source>Encrypted before it leaves</source>
        <translation>Verschlüsselt, bevor etwas das Gerät verlässt</translation>
    </message>
    <message>
        <source>Files are chunked, compressed, deduplicated and encrypted on this device before anything is sent.</source>
        <translation>Dateien werden auf diesem Gerät in Blöcke zerlegt, komprimiert, dedupliziert und verschlüsselt, bevor irgendetwas gesendet wird.</translation>
    </message>
    <message>
        <source>Spread over friends</source>
        <translation>Auf mehrere Freunde verteilt</translation>
    </message>
    <message>
        <source>Copies or shares go to several friends, so losing one friend or one node loses nothing.</source>
        <translation>Kopien oder Teile gehen an mehrere Freunde, sodass beim Verlust eines Freundes oder Knotens nichts verloren geht.</translation>
    </message>
    <message>
        <source>Restore, verify, prune</source>
        <translation>Wiederherstellen, prüfen, aufräumen</translation>
    </message>
    <message>
        <source>Restore any snapshot, check that backups are intact, remove old ones; an interrupted backup resumes.</source>
        <translation>Stelle jeden Stand wieder her, prüfe, ob Sicherungen intakt sind, und entferne alte; eine unterbrochene Sicherung wird fortgesetzt.</translation>
    </message>
    <message>
        <source>Keep your data safe on the devices and nodes of friends you trust, encrypted with your key so that only you can read it.</source>
        <translation>Bewahre deine Daten sicher auf den Geräten und Knoten von Freunden auf, denen du vertraust – verschlüsselt mit deinem Schlüssel, sodass nur du sie lesen kannst.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>The plugin is not connected.</source>
        <translation>Das Plugin ist nicht verbunden.</translation>
    </message>
    <message>
        <source>Coming in later releases</source>
        <translation>Kommt in späteren Versionen</translation>
    </message>
</context>
<context>
    <name>ChatList</name>
    <message>
        <source>Search messages</source>
        <translation>Nachrichten durchsuchen</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>New group</source>
        <translation>Neue Gruppe</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>Chats</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1, %n ungelesen</numerusform>
            <numerusform>%1, %n ungelesen</numerusform>
        </translation>
    </message>
    <message>
        <source>typing…</source>
        <translation>schreibt…</translation>
    </message>
    <message>
        <source>Safety key changed</source>
        <translation>Sicherheitsschlüssel geändert</translation>
    </message>
    <message>
        <source>No chats yet. Start one with a friend you added in People.</source>
        <translation>Noch keine Chats. Beginne einen mit einer Person, die du unter Personen hinzugefügt hast.</translation>
    </message>
    <message>
        <source>Messaging is not running.</source>
        <translation>Nachrichten laufen nicht.</translation>
    </message>
    <message>
        <source>No message matches.</source>
        <translation>Keine Nachricht passt.</translation>
    </message>
    <message>
        <source>New chat or group</source>
        <translation>Neuer Chat oder neue Gruppe</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Send a file</source>
        <translation>Datei senden</translation>
    </message>
    <message>
        <source>Attach a file</source>
        <translation>Datei anhängen</translation>
    </message>
    <message>
        <source>Sending is paused until you decide about the new key</source>
        <translation>Das Senden ist angehalten, bis du über den neuen Schlüssel entschieden hast</translation>
    </message>
    <message>
        <source>Write a message</source>
        <translation>Nachricht schreiben</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Nachricht</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Senden</translation>
    </message>
    <message>
        <source>Send message</source>
        <translation>Nachricht senden</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <source>Off</source>
        <translation>Aus</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n Minute</numerusform>
            <numerusform>%n Minuten</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n Stunde</numerusform>
            <numerusform>%n Stunden</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n Tag</numerusform>
            <numerusform>%n Tage</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n week(s)</source>
        <translation>
            <numerusform>%n Woche</numerusform>
            <numerusform>%n Wochen</numerusform>
        </translation>
    </message>
    <message>
        <source>Back to chats</source>
        <translation>Zurück zu den Chats</translation>
    </message>
    <message>
        <source>typing…</source>
        <translation>schreibt…</translation>
    </message>
    <message>
        <source>Messages disappear after %1</source>
        <translation>Nachrichten verschwinden nach %1</translation>
    </message>
    <message>
        <source>Chat options</source>
        <translation>Chat-Optionen</translation>
    </message>
    <message>
        <source>Group members and name…</source>
        <translation>Gruppenmitglieder und Name…</translation>
    </message>
    <message>
        <source>Disappearing messages</source>
        <translation>Verschwindende Nachrichten</translation>
    </message>
    <message>
        <source>%1&apos;s safety key changed. Sending is paused until you decide whether to trust the new key.</source>
        <translation>Der Sicherheitsschlüssel von %1 hat sich geändert. Das Senden ist angehalten, bis du entscheidest, ob du dem neuen Schlüssel vertraust.</translation>
    </message>
    <message>
        <source>Review the new key</source>
        <translation>Neuen Schlüssel prüfen</translation>
    </message>
    <message>
        <source>Review the new key in People</source>
        <translation>Neuen Schlüssel unter Personen prüfen</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>No messages yet. Messages are end-to-end encrypted: only the people in this chat can read them.</source>
        <translation>Noch keine Nachrichten. Nachrichten sind Ende-zu-Ende-verschlüsselt: Nur die Personen in diesem Chat können sie lesen.</translation>
    </message>
    <message>
        <source>Choose a chat, or start one with a friend.</source>
        <translation>Wähle einen Chat oder beginne einen mit einer befreundeten Person.</translation>
    </message>
    <message>
        <source>Send read receipts</source>
        <translation>Lesebestätigungen senden</translation>
    </message>
    <message>
        <source>Show that I am typing</source>
        <translation>Zeigen, dass ich schreibe</translation>
    </message>
</context>
<context>
    <name>GroupDialog</name>
    <message>
        <source>New group</source>
        <translation>Neue Gruppe</translation>
    </message>
    <message>
        <source>Group members and name</source>
        <translation>Gruppenmitglieder und Name</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>Gruppenname</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Mitglieder</translation>
    </message>
    <message>
        <source>Member %1</source>
        <translation>Mitglied %1</translation>
    </message>
    <message>
        <source>No contacts yet. Add friends in People by scanning their code.</source>
        <translation>Noch keine Kontakte. Füge unter Personen Freundinnen und Freunde hinzu, indem du ihren Code scannst.</translation>
    </message>
    <message>
        <source>Removed members cannot read what is written after they leave.</source>
        <translation>Entfernte Mitglieder können nicht lesen, was nach ihrem Austritt geschrieben wird.</translation>
    </message>
    <message>
        <source>%1 (key %2)</source>
        <translation>%1 (Schlüssel %2)</translation>
    </message>
</context>
<context>
    <name>HiveLogo</name>
    <message>
        <source>Hive logo</source>
        <translation>Hive-Logo</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Your name</source>
        <translation>Dein Name</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Speichern</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Fingerabdruck</translation>
    </message>
    <message>
        <source>Friends compare this with what their Hive shows to be sure they are talking to you.</source>
        <translation>Freunde vergleichen ihn mit der Anzeige in ihrem Hive, um sicher zu sein, dass sie mit dir sprechen.</translation>
    </message>
    <message>
        <source>Protection</source>
        <translation>Schutz</translation>
    </message>
    <message>
        <source>Your data is encrypted; the key is kept in the system keychain.</source>
        <translation>Deine Daten sind verschlüsselt; der Schlüssel liegt im Schlüsselbund des Systems.</translation>
    </message>
    <message>
        <source>Your data is encrypted with a key derived from your passphrase.</source>
        <translation>Deine Daten sind mit einem Schlüssel verschlüsselt, der aus deiner Passphrase abgeleitet wird.</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation>Profil: %1</translation>
    </message>
    <message>
        <source>Plugins</source>
        <translation>Plugins</translation>
    </message>
    <message>
        <source>Edit name</source>
        <translation>Namen ändern</translation>
    </message>
</context>
<context>
    <name>LanguageSelector</name>
    <message>
        <source>System default</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
</context>
<context>
    <name>Main</name>
    <message>
        <source>Hive — %1</source>
        <extracomment>Window title once unlocked; %1 is the person&apos;s display name.</extracomment>
        <translation>Hive — %1</translation>
    </message>
    <message>
        <source>Hive</source>
        <translation>Hive</translation>
    </message>
</context>
<context>
    <name>MessageBubble</name>
    <message>
        <source>You</source>
        <translation>Du</translation>
    </message>
    <message>
        <source>Image %1</source>
        <translation>Bild %1</translation>
    </message>
    <message>
        <source>%1% of %2</source>
        <translation>%1 % von %2</translation>
    </message>
    <message>
        <source>Transfer of %1</source>
        <translation>Übertragung von %1</translation>
    </message>
    <message>
        <source>Disappears</source>
        <translation>Verschwindet</translation>
    </message>
    <message>
        <source>Upload failed — tap to retry</source>
        <translation>Hochladen fehlgeschlagen — zum Wiederholen tippen</translation>
    </message>
    <message>
        <source>Download failed — tap to retry</source>
        <translation>Herunterladen fehlgeschlagen — zum Wiederholen tippen</translation>
    </message>
</context>
<context>
    <name>MessagingPage</name>
    <message>
        <source>Messaging</source>
        <translation>Nachrichten</translation>
    </message>
    <message>
        <source>The plugin is not connected.</source>
        <translation>Das Plugin ist nicht verbunden.</translation>
    </message>
</context>
<context>
    <name>MyCodePage</name>
    <message>
        <source>Contacts are not available for this profile.</source>
        <translation>Kontakte sind für dieses Profil nicht verfügbar.</translation>
    </message>
    <message>
        <source>QR code of your contact card</source>
        <translation>QR-Code deiner Kontaktkarte</translation>
    </message>
    <message>
        <source>Let a friend scan this code with Hive. You both end up verified in person.</source>
        <translation>Lass eine Freundin oder einen Freund diesen Code mit Hive scannen. Dann seid ihr beide persönlich verifiziert.</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Fingerabdruck</translation>
    </message>
    <message>
        <source>This code admits one friend request and expires on %1.</source>
        <translation>Dieser Code erlaubt eine Freundschaftsanfrage und läuft am %1 ab.</translation>
    </message>
    <message>
        <source>Your personal node is not known yet, so friend requests cannot reach you. Open Settings to choose or start a node.</source>
        <translation>Dein persönlicher Knoten ist noch nicht bekannt, daher können dich Freundschaftsanfragen nicht erreichen. Wähle oder starte einen Knoten in den Einstellungen.</translation>
    </message>
    <message>
        <source>Link copied</source>
        <translation>Link kopiert</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>Link kopieren</translation>
    </message>
    <message>
        <source>New code</source>
        <translation>Neuer Code</translation>
    </message>
    <message>
        <source>People who add you from a link start as unverified until you compare safety numbers.</source>
        <translation>Wer dich über einen Link hinzufügt, gilt als nicht verifiziert, bis ihr die Sicherheitsnummern vergleicht.</translation>
    </message>
</context>
<context>
    <name>NavigationHeader</name>
    <message>
        <source>Hive</source>
        <translation>Hive</translation>
    </message>
</context>
<context>
    <name>NavigationList</name>
    <message>
        <source>Me</source>
        <translation>Ich</translation>
    </message>
    <message>
        <source>Plugins</source>
        <translation>Plugins</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personen</translation>
    </message>
    <message>
        <source>1 key change to review</source>
        <translation>1 Schlüsseländerung zu prüfen</translation>
    </message>
    <message>
        <source>%1 key changes to review</source>
        <translation>%1 Schlüsseländerungen zu prüfen</translation>
    </message>
    <message>
        <source>1 contact</source>
        <translation>1 Kontakt</translation>
    </message>
    <message>
        <source>%1 contacts</source>
        <translation>%1 Kontakte</translation>
    </message>
    <message>
        <source>My code</source>
        <translation>Mein Code</translation>
    </message>
    <message>
        <source>Let a friend scan it</source>
        <translation>Zum Scannen zeigen</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Scannen</translation>
    </message>
    <message>
        <source>Add a friend</source>
        <translation>Freund hinzufügen</translation>
    </message>
</context>
<context>
    <name>NewChatDialog</name>
    <message>
        <source>New chat</source>
        <translation>Neuer Chat</translation>
    </message>
    <message>
        <source>Chat with %1</source>
        <translation>Chat mit %1</translation>
    </message>
    <message>
        <source>No contacts yet. Add friends in People by scanning their code.</source>
        <translation>Noch keine Kontakte. Füge unter Personen Freundinnen und Freunde hinzu, indem du ihren Code scannst.</translation>
    </message>
    <message>
        <source>%1 (key %2)</source>
        <translation>%1 (Schlüssel %2)</translation>
    </message>
</context>
<context>
    <name>NodeSettings</name>
    <message>
        <source>Connected</source>
        <translation>Verbunden</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Verbinde…</translation>
    </message>
    <message>
        <source>Cannot connect</source>
        <translation>Keine Verbindung möglich</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>Nicht verbunden</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <source>running</source>
        <translation>läuft</translation>
    </message>
    <message>
        <source>restarting</source>
        <translation>startet neu</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fehlgeschlagen</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>angehalten</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Eigentümer</translation>
    </message>
    <message>
        <source>Friend</source>
        <translation>Freund</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>Anonym</translation>
    </message>
    <message>
        <source>%1 B</source>
        <extracomment>%1 is a number of bytes.</extracomment>
        <translation>%1 B</translation>
    </message>
    <message>
        <source>%1 KiB</source>
        <extracomment>%1 is a size in kibibytes.</extracomment>
        <translation>%1 KiB</translation>
    </message>
    <message>
        <source>%1 MiB</source>
        <extracomment>%1 is a size in mebibytes.</extracomment>
        <translation>%1 MiB</translation>
    </message>
    <message>
        <source>%1 GiB</source>
        <extracomment>%1 is a size in gibibytes.</extracomment>
        <translation>%1 GiB</translation>
    </message>
    <message>
        <source>%1 d %2 h %3 min</source>
        <extracomment>Uptime: %1 days, %2 hours, %3 minutes.</extracomment>
        <translation>%1 T. %2 Std. %3 Min.</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <extracomment>Uptime: %1 hours, %2 minutes.</extracomment>
        <translation>%1 Std. %2 Min.</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <extracomment>Uptime: %1 minutes, %2 seconds.</extracomment>
        <translation>%1 Min. %2 s</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>Your personal node keeps your mailbox, presence and backups. Hive runs one on this computer unless you choose another.</source>
        <translation>Dein persönlicher Knoten verwahrt dein Postfach, deine Anwesenheit und deine Sicherungen. Hive betreibt einen auf diesem Computer, solange du keinen anderen wählst.</translation>
    </message>
    <message>
        <source>The node is not available until the profile is unlocked.</source>
        <translation>Der Knoten ist erst verfügbar, wenn das Profil entsperrt ist.</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Adresse</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>The address has been copied.</source>
        <translation>Die Adresse wurde kopiert.</translation>
    </message>
    <message>
        <source>This computer (%1, port %2)</source>
        <extracomment>%1 is the local node&apos;s state (running, starting, ...), %2 its port.</extracomment>
        <translation>Dieser Computer (%1, Port %2)</translation>
    </message>
    <message>
        <source>Another node</source>
        <translation>Ein anderer Knoten</translation>
    </message>
    <message>
        <source>Runs on</source>
        <translation>Läuft auf</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Verbindung</translation>
    </message>
    <message>
        <source>Your role</source>
        <translation>Deine Rolle</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Laufzeit</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>%1 of %2 used, %3 objects</source>
        <extracomment>%1 used of %2 capacity, %3 the number of stored objects.</extracomment>
        <translation>%1 von %2 belegt, %3 Objekte</translation>
    </message>
    <message>
        <source>Unknown until the node answers</source>
        <translation>Unbekannt, bis der Knoten antwortet</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>Use another node</source>
        <translation>Einen anderen Knoten verwenden</translation>
    </message>
    <message>
        <source>hive://… address of the node</source>
        <translation>hive://… Adresse des Knotens</translation>
    </message>
    <message>
        <source>This is not a node address: %1</source>
        <extracomment>%1 is the technical reason the address was refused.</extracomment>
        <translation>Das ist keine Knotenadresse: %1</translation>
    </message>
    <message>
        <source>Use this node</source>
        <translation>Diesen Knoten verwenden</translation>
    </message>
    <message>
        <source>Hive now uses the node you entered.</source>
        <translation>Hive verwendet jetzt den eingegebenen Knoten.</translation>
    </message>
    <message>
        <source>Use the node on this computer</source>
        <translation>Den Knoten auf diesem Computer verwenden</translation>
    </message>
    <message>
        <source>Hive uses the node on this computer again.</source>
        <translation>Hive verwendet wieder den Knoten auf diesem Computer.</translation>
    </message>
    <message>
        <source>Port of the local node</source>
        <translation>Port des lokalen Knotens</translation>
    </message>
    <message>
        <source>Change port</source>
        <translation>Port ändern</translation>
    </message>
    <message>
        <source>The local node now listens on port %1.</source>
        <translation>Der lokale Knoten lauscht jetzt auf Port %1.</translation>
    </message>
</context>
<context>
    <name>OnboardingPage</name>
    <message>
        <source>Welcome to Hive</source>
        <translation>Willkommen bei Hive</translation>
    </message>
    <message>
        <source>Hive keeps your messages, places and backups between you and the people you trust. Everything is stored encrypted on this device.</source>
        <translation>Hive hält deine Nachrichten, Orte und Sicherungen zwischen dir und den Menschen, denen du vertraust. Alles wird verschlüsselt auf diesem Gerät gespeichert.</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Dein Name</translation>
    </message>
    <message>
        <source>How friends will see you</source>
        <translation>So sehen dich deine Freunde</translation>
    </message>
    <message>
        <source>Protect your data</source>
        <translation>Schütze deine Daten</translation>
    </message>
    <message>
        <source>Keep the key in the system keychain</source>
        <translation>Schlüssel im Schlüsselbund des Systems aufbewahren</translation>
    </message>
    <message>
        <source>No system keychain can be reached on this computer, so Hive protects your data with a passphrase.</source>
        <translation>Auf diesem Computer ist kein Schlüsselbund erreichbar, daher schützt Hive deine Daten mit einer Passphrase.</translation>
    </message>
    <message>
        <source>Protect with a passphrase</source>
        <translation>Mit einer Passphrase schützen</translation>
    </message>
    <message>
        <source>You will type it each time Hive starts. Nobody can recover it for you.</source>
        <translation>Du gibst sie bei jedem Start von Hive ein. Niemand kann sie für dich wiederherstellen.</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>Repeat the passphrase</source>
        <translation>Passphrase wiederholen</translation>
    </message>
    <message>
        <source>The two passphrases do not match.</source>
        <translation>Die beiden Passphrasen stimmen nicht überein.</translation>
    </message>
    <message>
        <source>Create my profile</source>
        <translation>Mein Profil anlegen</translation>
    </message>
</context>
<context>
    <name>PassphraseStrength</name>
    <message>
        <source>Use at least 8 characters; a few unrelated words work well.</source>
        <translation>Verwende mindestens 8 Zeichen; ein paar Wörter ohne Zusammenhang eignen sich gut.</translation>
    </message>
    <message>
        <source>Strength: weak</source>
        <translation>Stärke: schwach</translation>
    </message>
    <message>
        <source>Strength: fair</source>
        <translation>Stärke: mittel</translation>
    </message>
    <message>
        <source>Strength: good</source>
        <translation>Stärke: gut</translation>
    </message>
    <message>
        <source>Strength: strong</source>
        <translation>Stärke: stark</translation>
    </message>
</context>
<context>
    <name>PeoplePage</name>
    <message>
        <source>%1 wants to be your friend</source>
        <translation>%1 möchte mit dir befreundet sein</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Annehmen</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Ablehnen</translation>
    </message>
    <message>
        <source>Share resources</source>
        <translation>Ressourcen teilen</translation>
    </message>
    <message>
        <source>Contacts are not available for this profile.</source>
        <translation>Kontakte sind für dieses Profil nicht verfügbar.</translation>
    </message>
    <message>
        <source>%1&apos;s key has changed</source>
        <translation>Der Schlüssel von %1 hat sich geändert</translation>
    </message>
    <message>
        <source>Nothing is sent to %1 until you decide. Accept only if %1 told you they set up Hive again.</source>
        <translation>An %1 wird nichts gesendet, bis du entscheidest. Nimm den Schlüssel nur an, wenn %1 dir gesagt hat, dass Hive neu eingerichtet wurde.</translation>
    </message>
    <message>
        <source>old: %1</source>
        <translation>alt: %1</translation>
    </message>
    <message>
        <source>new: %1</source>
        <translation>neu: %1</translation>
    </message>
    <message>
        <source>Accept new key</source>
        <translation>Neuen Schlüssel annehmen</translation>
    </message>
    <message>
        <source>Keep old key</source>
        <translation>Alten Schlüssel behalten</translation>
    </message>
    <message>
        <source>No contacts yet</source>
        <translation>Noch keine Kontakte</translation>
    </message>
    <message>
        <source>Meet a friend and scan each other&apos;s codes, or send them your link.</source>
        <translation>Triff eine Freundin oder einen Freund und scannt gegenseitig eure Codes, oder schick deinen Link.</translation>
    </message>
    <message>
        <source>Show my code</source>
        <translation>Meinen Code zeigen</translation>
    </message>
    <message>
        <source>Scan a code</source>
        <translation>Code scannen</translation>
    </message>
    <message>
        <source>Choose a person to see their safety number.</source>
        <translation>Wähle eine Person, um ihre Sicherheitsnummer zu sehen.</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personen</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Fingerabdruck</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Knoten</translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation>noch nicht bekannt</translation>
    </message>
    <message>
        <source>Safety number</source>
        <translation>Sicherheitsnummer</translation>
    </message>
    <message>
        <source>Compare these digits with the ones %1 sees, in person or on a call. If they match, nobody is in between.</source>
        <translation>Vergleiche diese Ziffern mit denen, die %1 sieht – persönlich oder am Telefon. Stimmen sie überein, ist niemand dazwischen.</translation>
    </message>
    <message>
        <source>QR code of the safety number</source>
        <translation>QR-Code der Sicherheitsnummer</translation>
    </message>
    <message>
        <source>The numbers match</source>
        <translation>Die Nummern stimmen überein</translation>
    </message>
</context>
<context>
    <name>PluginPage</name>
    <message>
        <source>This plugin is not available.</source>
        <translation>Dieses Plugin ist nicht verfügbar.</translation>
    </message>
    <message>
        <source>The page of %1 could not be loaded.</source>
        <translation>Die Seite von %1 konnte nicht geladen werden.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>%1 is a plugin name, %2 its state (for example &quot;failed&quot;).</extracomment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The other plugins keep running. Restart Hive after fixing the cause.</source>
        <translation>Die anderen Plugins laufen weiter. Starte Hive neu, nachdem du die Ursache behoben hast.</translation>
    </message>
</context>
<context>
    <name>PresencePage</name>
    <message>
        <source>Presence</source>
        <translation>Anwesenheit</translation>
    </message>
    <message>
        <source>Who sees you</source>
        <translation>Wer dich sieht</translation>
    </message>
    <message>
        <source>Choose per friend whether they see that you are online, and whether they see your position.</source>
        <translation>Lege für jeden Freund fest, ob er sieht, dass du online bist, und ob er deinen Standort sieht.</translation>
    </message>
    <message>
        <source>Precision you choose</source>
        <translation>Genauigkeit nach deiner Wahl</translation>
    </message>
    <message>
        <source>Share your exact position, about a kilometre, or only your city, separately for each friend.</source>
        <translation>Teile deinen genauen Standort, eine Angabe auf etwa einen Kilometer oder nur deine Stadt – für jeden Freund einzeln.</translation>
    </message>
    <message>
        <source>Always time-limited</source>
        <translation>Immer zeitlich begrenzt</translation>
    </message>
    <message>
        <source>Sharing ends after 15 minutes, an hour, or when you stop it; nothing is shared forever by accident.</source>
        <translation>Das Teilen endet nach 15 Minuten, nach einer Stunde oder wenn du es beendest; nichts wird versehentlich für immer geteilt.</translation>
    </message>
    <message>
        <source>Private on the way</source>
        <translation>Unterwegs privat</translation>
    </message>
    <message>
        <source>Positions are encrypted on your device; nodes and relays pass them on without being able to read them.</source>
        <translation>Standorte werden auf deinem Gerät verschlüsselt; Knoten und Relais leiten sie weiter, ohne sie lesen zu können.</translation>
    </message>
    <message>
        <source>Let chosen friends see that you are around and, if you want, where you are — as precisely and for as long as you decide.</source>
        <translation>Lass ausgewählte Freunde sehen, dass du da bist, und auf Wunsch, wo du bist – so genau und so lange, wie du entscheidest.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>The plugin is not connected.</source>
        <translation>Das Plugin ist nicht verbunden.</translation>
    </message>
    <message>
        <source>Coming in later releases</source>
        <translation>Kommt in späteren Versionen</translation>
    </message>
</context>
<context>
    <name>ProfileErrorPage</name>
    <message>
        <source>Hive cannot open your profile</source>
        <translation>Hive kann dein Profil nicht öffnen</translation>
    </message>
    <message>
        <source>Your files have not been changed. If the system keychain was locked, unlock it and try again.</source>
        <translation>Deine Dateien wurden nicht verändert. Falls der Schlüsselbund des Systems gesperrt war, entsperre ihn und versuche es erneut.</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation>Profil: %1</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
</context>
<context>
    <name>ResourcesPage</name>
    <message>
        <source>Resources</source>
        <translation>Ressourcen</translation>
    </message>
    <message>
        <source>Share a part of your node</source>
        <translation>Teile einen Teil deines Knotens</translation>
    </message>
    <message>
        <source>Give a friend a share of your node, for example 20% of its storage, CPU and bandwidth.</source>
        <translation>Gib einem Freund einen Anteil an deinem Knoten, zum Beispiel 20 % seines Speichers, seiner Rechenzeit und seiner Bandbreite.</translation>
    </message>
    <message>
        <source>Re-sharing with limits</source>
        <translation>Weitergeben mit Grenzen</translation>
    </message>
    <message>
        <source>Friends may pass part of a grant on to their friends, never more than they received and never for longer.</source>
        <translation>Freunde dürfen einen Teil einer Freigabe an ihre Freunde weitergeben – nie mehr, als sie bekommen haben, und nie länger.</translation>
    </message>
    <message>
        <source>Checked by the node itself</source>
        <translation>Vom Knoten selbst geprüft</translation>
    </message>
    <message>
        <source>Nodes verify grants offline with their owner&apos;s key; you can revoke a grant at any time.</source>
        <translation>Knoten prüfen Freigaben offline mit dem Schlüssel ihres Besitzers; du kannst eine Freigabe jederzeit widerrufen.</translation>
    </message>
    <message>
        <source>Run computation</source>
        <translation>Berechnungen ausführen</translation>
    </message>
    <message>
        <source>Run small jobs on the nodes you may use, balanced across them and limited to their budget.</source>
        <translation>Führe kleine Aufgaben auf den Knoten aus, die du nutzen darfst – verteilt und im Rahmen ihres Budgets.</translation>
    </message>
    <message>
        <source>Share what your nodes can do — storage, computing time and bandwidth — with friends, and use what they share with you.</source>
        <translation>Teile, was deine Knoten leisten – Speicher, Rechenzeit und Bandbreite – mit Freunden und nutze, was sie mit dir teilen.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>The plugin is not connected.</source>
        <translation>Das Plugin ist nicht verbunden.</translation>
    </message>
    <message>
        <source>Coming in later releases</source>
        <translation>Kommt in späteren Versionen</translation>
    </message>
</context>
<context>
    <name>ScanPage</name>
    <message>
        <source>Open a picture of a Hive code</source>
        <translation>Bild eines Hive-Codes öffnen</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</source>
        <translation>Bilder (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</translation>
    </message>
    <message>
        <source>The camera cannot be used</source>
        <translation>Die Kamera kann nicht verwendet werden</translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation>Keine Kamera gefunden</translation>
    </message>
    <message>
        <source>Hive may not have permission to use it, or another app is using it (%1).</source>
        <translation>Vielleicht darf Hive sie nicht verwenden, oder eine andere App benutzt sie (%1).</translation>
    </message>
    <message>
        <source>This device has no camera Hive can use. Open a picture of your friend&apos;s code instead, or paste the link they sent you.</source>
        <translation>Dieses Gerät hat keine Kamera, die Hive verwenden kann. Öffne stattdessen ein Bild des Codes oder füge den Link ein, den du bekommen hast.</translation>
    </message>
    <message>
        <source>Add a friend</source>
        <translation>Freund hinzufügen</translation>
    </message>
    <message>
        <source>Point the camera at the code on your friend&apos;s My code page. Scanning it in person verifies them.</source>
        <translation>Richte die Kamera auf den Code auf der Seite „Mein Code“ deines Gegenübers. Persönlich gescannt ist die Person verifiziert.</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>Bild öffnen …</translation>
    </message>
    <message>
        <source>Paste link</source>
        <translation>Link einfügen</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>People added from a link are unverified until you compare safety numbers with them.</source>
        <translation>Über einen Link hinzugefügte Personen sind nicht verifiziert, bis du die Sicherheitsnummern mit ihnen vergleichst.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Appearance</source>
        <translation>Darstellung</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Sprache</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
    <message>
        <source>Your passphrase has been changed.</source>
        <translation>Deine Passphrase wurde geändert.</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Sicherheit</translation>
    </message>
    <message>
        <source>The key of this profile is kept in the system keychain, so there is no passphrase to change.</source>
        <translation>Der Schlüssel dieses Profils liegt im Schlüsselbund des Systems, daher gibt es keine Passphrase zu ändern.</translation>
    </message>
    <message>
        <source>Change passphrase</source>
        <translation>Passphrase ändern</translation>
    </message>
    <message>
        <source>Current passphrase</source>
        <translation>Aktuelle Passphrase</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>Neue Passphrase</translation>
    </message>
    <message>
        <source>Repeat the new passphrase</source>
        <translation>Neue Passphrase wiederholen</translation>
    </message>
    <message>
        <source>The two passphrases do not match.</source>
        <translation>Die beiden Passphrasen stimmen nicht überein.</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Über Hive</translation>
    </message>
    <message>
        <source>Hive %1 — your messages, places and backups, shared only with people you trust.</source>
        <extracomment>%1 is a version number such as 0.1.0.</extracomment>
        <translation>Hive %1 – deine Nachrichten, Orte und Sicherungen, geteilt nur mit Menschen, denen du vertraust.</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation>Profil: %1</translation>
    </message>
</context>
<context>
    <name>ShareResourcesDialog</name>
    <message>
        <source>Share resources with %1</source>
        <translation>Ressourcen mit %1 teilen</translation>
    </message>
    <message>
        <source>%1 may use this much of your node. Your node checks every request and stops them at the limit.</source>
        <translation>%1 darf so viel von deinem Knoten nutzen. Dein Knoten prüft jede Anfrage und hält an der Grenze an.</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Speicher</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Bandwidth</source>
        <translation>Bandbreite</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>May share on with their friends</source>
        <translation>Darf an eigene Freunde weitergeben</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Tage</translation>
    </message>
    <message>
        <source>Give</source>
        <translation>Geben</translation>
    </message>
    <message>
        <source>Given and received</source>
        <translation>Gegeben und erhalten</translation>
    </message>
    <message>
        <source>Nothing shared yet.</source>
        <translation>Noch nichts geteilt.</translation>
    </message>
    <message>
        <source>Given</source>
        <translation>Gegeben</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Erhalten</translation>
    </message>
    <message>
        <source>storage %1%, CPU %2%, bandwidth %3% until %4</source>
        <translation>Speicher %1 %, CPU %2 %, Bandbreite %3 % bis %4</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>widerrufen</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>abgelaufen</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Widerrufen</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Me</source>
        <translation>Ich</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Open navigation</source>
        <translation>Navigation öffnen</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personen</translation>
    </message>
    <message>
        <source>My code</source>
        <translation>Mein Code</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Scannen</translation>
    </message>
</context>
<context>
    <name>ThemeSelector</name>
    <message>
        <source>Same as the system</source>
        <translation>Wie das System</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Hell</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Dunkel</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Design</translation>
    </message>
</context>
<context>
    <name>TrustBadge</name>
    <message>
        <source>Key changed</source>
        <translation>Schlüssel geändert</translation>
    </message>
    <message>
        <source>Request pending</source>
        <translation>Anfrage offen</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>Persönlich</translation>
    </message>
    <message>
        <source>Verified in person</source>
        <translation>Persönlich verifiziert</translation>
    </message>
    <message>
        <source>Safety number</source>
        <translation>Sicherheitsnummer</translation>
    </message>
    <message>
        <source>Verified by safety number</source>
        <translation>Per Sicherheitsnummer verifiziert</translation>
    </message>
    <message>
        <source>Unverified</source>
        <translation>Nicht verifiziert</translation>
    </message>
</context>
<context>
    <name>TrustNotice</name>
    <message>
        <source>Show</source>
        <translation>Anzeigen</translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <source>Unlock Hive</source>
        <translation>Hive entsperren</translation>
    </message>
    <message>
        <source>Enter the passphrase that protects this profile.</source>
        <translation>Gib die Passphrase ein, die dieses Profil schützt.</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Passphrase</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Entsperren</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <extracomment>%1 is the folder that holds the profile.</extracomment>
        <translation>Profil: %1</translation>
    </message>
</context>
<context>
    <name>hive::app::AppController</name>
    <message>
        <source>The profile files are damaged or were written by a newer version of Hive.</source>
        <translation>Die Profildateien sind beschädigt oder stammen von einer neueren Hive-Version.</translation>
    </message>
    <message>
        <source>Please enter a name of at most 64 characters.</source>
        <translation>Bitte gib einen Namen mit höchstens 64 Zeichen ein.</translation>
    </message>
    <message>
        <source>Please choose a passphrase.</source>
        <translation>Bitte wähle eine Passphrase.</translation>
    </message>
    <message>
        <source>Hive is locked.</source>
        <translation>Hive ist gesperrt.</translation>
    </message>
    <message>
        <source>Hive is busy; please try again in a moment.</source>
        <translation>Hive ist beschäftigt; bitte versuche es gleich noch einmal.</translation>
    </message>
    <message>
        <source>This profile keeps its key in the system keychain.</source>
        <translation>Dieses Profil bewahrt seinen Schlüssel im Schlüsselbund des Systems auf.</translation>
    </message>
    <message>
        <source>The new passphrase needs at least 8 characters.</source>
        <translation>Die neue Passphrase braucht mindestens 8 Zeichen.</translation>
    </message>
    <message>
        <source>The current passphrase is not right.</source>
        <translation>Die aktuelle Passphrase ist nicht richtig.</translation>
    </message>
    <message>
        <source>That passphrase is not right. Please try again.</source>
        <translation>Diese Passphrase ist nicht richtig. Bitte versuche es erneut.</translation>
    </message>
    <message>
        <source>The system keychain cannot be reached (%1).</source>
        <extracomment>%1 is the technical reason given by the system.</extracomment>
        <translation>Der Schlüsselbund des Systems ist nicht erreichbar (%1).</translation>
    </message>
    <message>
        <source>The profile files are damaged (%1). They have not been changed.</source>
        <translation>Die Profildateien sind beschädigt (%1). Sie wurden nicht verändert.</translation>
    </message>
    <message>
        <source>This profile was written by a newer version of Hive.</source>
        <translation>Dieses Profil stammt von einer neueren Hive-Version.</translation>
    </message>
</context>
<context>
    <name>hive::backup::BackupPlugin</name>
    <message>
        <source>Ready. Backups arrive in a later release.</source>
        <translation>Bereit. Sicherungen kommen in einer späteren Version.</translation>
    </message>
</context>
<context>
    <name>hive::core::BasicPlugin</name>
    <message>
        <source>Not started</source>
        <translation>Nicht gestartet</translation>
    </message>
    <message>
        <source>Storage could not be prepared: %1</source>
        <translation>Der Speicher konnte nicht vorbereitet werden: %1</translation>
    </message>
    <message>
        <source>Could not start: %1</source>
        <translation>Konnte nicht gestartet werden: %1</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Beendet</translation>
    </message>
</context>
<context>
    <name>hive::core::PluginHost</name>
    <message>
        <source>plugin class %1 has no JSON metadata (Q_PLUGIN_METADATA FILE)</source>
        <translation>Plugin-Klasse %1 hat keine JSON-Metadaten (Q_PLUGIN_METADATA FILE)</translation>
    </message>
    <message>
        <source>invalid metadata: %1</source>
        <translation>ungültige Metadaten: %1</translation>
    </message>
    <message>
        <source>another plugin (%1) already uses the id &quot;%2&quot;</source>
        <translation>ein anderes Plugin (%1) verwendet bereits die Kennung „%2“</translation>
    </message>
    <message>
        <source>the plugin object could not be created</source>
        <translation>das Plugin-Objekt konnte nicht erzeugt werden</translation>
    </message>
    <message>
        <source>the plugin object does not implement %1</source>
        <translation>das Plugin-Objekt implementiert %1 nicht</translation>
    </message>
    <message>
        <source>dependency cycle: %1</source>
        <translation>zyklische Abhängigkeit: %1</translation>
    </message>
    <message>
        <source>needs plugin &quot;%1&quot;, which is not installed</source>
        <translation>benötigt das Plugin „%1“, das nicht installiert ist</translation>
    </message>
    <message>
        <source>needs plugin &quot;%1&quot; %2, but version %3 is installed</source>
        <translation>benötigt das Plugin „%1“ %2, installiert ist aber Version %3</translation>
    </message>
    <message>
        <source>needs plugin &quot;%1&quot;, which is not running (%2)</source>
        <translation>benötigt das Plugin „%1“, das nicht läuft (%2)</translation>
    </message>
    <message>
        <source>initialize failed: %1</source>
        <translation>Initialisierung fehlgeschlagen: %1</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Nicht gestartet</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Missing dependency</source>
        <translation>Abhängigkeit fehlt</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Beendet</translation>
    </message>
</context>
<context>
    <name>hive::core::TrustController</name>
    <message>
        <source>Friend request</source>
        <translation>Freundschaftsanfrage</translation>
    </message>
    <message>
        <source>%1 wants to be your friend. Accept or decline on the People page.</source>
        <translation>%1 möchte mit dir befreundet sein. Nimm auf der Seite Personen an oder lehne ab.</translation>
    </message>
    <message>
        <source>New friend</source>
        <translation>Neuer Freund</translation>
    </message>
    <message>
        <source>%1 added you too; you are now friends.</source>
        <translation>%1 hat dich auch hinzugefügt; ihr seid jetzt befreundet.</translation>
    </message>
    <message>
        <source>Key changed</source>
        <translation>Schlüssel geändert</translation>
    </message>
    <message>
        <source>A request claims to be %1 with another key. Decide on the People page.</source>
        <translation>Eine Anfrage gibt sich als %1 mit einem anderen Schlüssel aus. Entscheide auf der Seite Personen.</translation>
    </message>
    <message>
        <source>Friend request accepted</source>
        <translation>Freundschaftsanfrage angenommen</translation>
    </message>
    <message>
        <source>%1 accepted your friend request.</source>
        <translation>%1 hat deine Freundschaftsanfrage angenommen.</translation>
    </message>
    <message>
        <source>The request could not be accepted: %1</source>
        <translation>Die Anfrage konnte nicht angenommen werden: %1</translation>
    </message>
    <message>
        <source>The request could not be declined.</source>
        <translation>Die Anfrage konnte nicht abgelehnt werden.</translation>
    </message>
    <message>
        <source>You have no node to share yet.</source>
        <translation>Du hast noch keinen Knoten zum Teilen.</translation>
    </message>
    <message>
        <source>Choose up to 7 re-shares and 1 to 365 days.</source>
        <translation>Wähle bis zu 7 Weitergaben und 1 bis 365 Tage.</translation>
    </message>
    <message>
        <source>The grant could not be made: %1</source>
        <translation>Die Freigabe konnte nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>This grant no longer exists.</source>
        <translation>Diese Freigabe gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>The grant could not be revoked: %1</source>
        <translation>Die Freigabe konnte nicht widerrufen werden: %1</translation>
    </message>
    <message>
        <source>Your code could not be made: %1</source>
        <translation>Dein Code konnte nicht erstellt werden: %1</translation>
    </message>
    <message>
        <source>Your code could not be drawn: %1</source>
        <translation>Dein Code konnte nicht gezeichnet werden: %1</translation>
    </message>
    <message>
        <source>This is not a Hive code. Ask your friend for the code on their My code page.</source>
        <translation>Das ist kein Hive-Code. Bitte um den Code auf der Seite „Mein Code“.</translation>
    </message>
    <message>
        <source>This Hive code is damaged. Ask your friend to show or send it again.</source>
        <translation>Dieser Hive-Code ist beschädigt. Bitte darum, ihn noch einmal zu zeigen oder zu senden.</translation>
    </message>
    <message>
        <source>This Hive code is incomplete. Copy or scan the whole code.</source>
        <translation>Dieser Hive-Code ist unvollständig. Kopiere oder scanne den ganzen Code.</translation>
    </message>
    <message>
        <source>This Hive code comes from a newer version of Hive. Update Hive to add this person.</source>
        <translation>Dieser Hive-Code stammt aus einer neueren Hive-Version. Aktualisiere Hive, um diese Person hinzuzufügen.</translation>
    </message>
    <message>
        <source>This Hive code has been altered: its signature does not match. It was not added.</source>
        <translation>Dieser Hive-Code wurde verändert: Die Signatur passt nicht. Er wurde nicht hinzugefügt.</translation>
    </message>
    <message>
        <source>This Hive code has expired. Ask your friend for a fresh one.</source>
        <translation>Dieser Hive-Code ist abgelaufen. Bitte um einen neuen.</translation>
    </message>
    <message>
        <source>This is your own code.</source>
        <translation>Das ist dein eigener Code.</translation>
    </message>
    <message>
        <source>The contact could not be saved: %1</source>
        <translation>Der Kontakt konnte nicht gespeichert werden: %1</translation>
    </message>
    <message>
        <source>%1 was added.</source>
        <translation>%1 wurde hinzugefügt.</translation>
    </message>
    <message>
        <source>%1 is already a contact; their details were updated.</source>
        <translation>%1 ist bereits ein Kontakt; die Angaben wurden aktualisiert.</translation>
    </message>
    <message>
        <source>This code claims to be %1 but has a different key. Nothing will be sent to %1 until you decide on the People page.</source>
        <translation>Dieser Code gibt sich als %1 aus, hat aber einen anderen Schlüssel. An %1 wird nichts gesendet, bis du auf der Seite „Personen“ entscheidest.</translation>
    </message>
    <message>
        <source>The image could not be opened.</source>
        <translation>Das Bild konnte nicht geöffnet werden.</translation>
    </message>
    <message>
        <source>No readable QR code was found in the image.</source>
        <translation>Im Bild wurde kein lesbarer QR-Code gefunden.</translation>
    </message>
    <message>
        <source>This contact no longer exists.</source>
        <translation>Diesen Kontakt gibt es nicht mehr.</translation>
    </message>
    <message>
        <source>The safety number could not be computed.</source>
        <translation>Die Sicherheitsnummer konnte nicht berechnet werden.</translation>
    </message>
    <message>
        <source>The contact could not be marked as verified.</source>
        <translation>Der Kontakt konnte nicht als verifiziert markiert werden.</translation>
    </message>
    <message>
        <source>The new key could not be accepted: %1</source>
        <translation>Der neue Schlüssel konnte nicht angenommen werden: %1</translation>
    </message>
    <message>
        <source>The new key could not be declined.</source>
        <translation>Der neue Schlüssel konnte nicht abgelehnt werden.</translation>
    </message>
</context>
<context>
    <name>hive::messaging::MessagingPlugin</name>
    <message>
        <source>Ready. Chats are end-to-end encrypted.</source>
        <translation>Bereit. Chats sind Ende-zu-Ende-verschlüsselt.</translation>
    </message>
    <message>
        <source>Ready. Chats start once your personal node is reachable.</source>
        <translation>Bereit. Chats beginnen, sobald dein persönlicher Knoten erreichbar ist.</translation>
    </message>
</context>
<context>
    <name>hive::messaging::ui::ChatListModel</name>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
</context>
<context>
    <name>hive::messaging::ui::ConversationModel</name>
    <message>
        <source>Sending</source>
        <translation>Wird gesendet</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Gesendet</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Gelesen</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>Nicht gesendet</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Heute</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Gestern</translation>
    </message>
</context>
<context>
    <name>hive::messaging::ui::MessagingController</name>
    <message>
        <source>Only files on this device can be sent.</source>
        <translation>Nur Dateien auf diesem Gerät können gesendet werden.</translation>
    </message>
    <message>
        <source>A group needs a name.</source>
        <translation>Eine Gruppe braucht einen Namen.</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Du</translation>
    </message>
</context>
<context>
    <name>hive::presence::PresencePlugin</name>
    <message>
        <source>Ready. Sharing presence arrives in a later release.</source>
        <translation>Bereit. Das Teilen der Anwesenheit kommt in einer späteren Version.</translation>
    </message>
</context>
<context>
    <name>hive::resources::ResourcesPlugin</name>
    <message>
        <source>Ready. Sharing resources arrives in a later release.</source>
        <translation>Bereit. Das Teilen von Ressourcen kommt in einer späteren Version.</translation>
    </message>
</context>
</TS>
