<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>BackupPage</name>
    <message>
        <source>Backup</source>
        <translation>Copia de seguridad</translation>
    </message>
    <message>
        <source>Choose where</source>
        <translation>Tú eliges dónde</translation>
    </message>
    <message>
        <source>Pick friends&apos; devices or nodes as backup targets, within the space they granted you.</source>
        <translation>Elige dispositivos o nodos de tus amigos como destino de las copias, dentro del espacio que te han concedido.</translation>
    </message>
    <message>
        <source>Encrypted before it leaves</source>
        <translation>Cifrado antes de salir</translation>
    </message>
    <message>
        <source>Files are chunked, compressed, deduplicated and encrypted on this device before anything is sent.</source>
        <translation>Los archivos se dividen en bloques, se comprimen, se deduplican y se cifran en este dispositivo antes de enviar nada.</translation>
    </message>
    <message>
        <source>Spread over friends</source>
        <translation>Repartido entre amigos</translation>
    </message>
    <message>
        <source>Copies or shares go to several friends, so losing one friend or one node loses nothing.</source>
        <translation>Las copias o fragmentos van a varios amigos, así que perder a un amigo o un nodo no hace perder nada.</translation>
    </message>
    <message>
        <source>Restore, verify, prune</source>
        <translation>Restaurar, verificar, depurar</translation>
    </message>
    <message>
        <source>Restore any snapshot, check that backups are intact, remove old ones; an interrupted backup resumes.</source>
        <translation>Restaura cualquier instantánea, comprueba que las copias están intactas y elimina las antiguas; una copia interrumpida se reanuda.</translation>
    </message>
    <message>
        <source>Keep your data safe on the devices and nodes of friends you trust, encrypted with your key so that only you can read it.</source>
        <translation>Guarda tus datos a salvo en los dispositivos y nodos de amigos de confianza, cifrados con tu clave para que solo tú puedas leerlos.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>The plugin is not connected.</source>
        <translation>El complemento no está conectado.</translation>
    </message>
    <message>
        <source>Coming in later releases</source>
        <translation>Llegará en próximas versiones</translation>
    </message>
</context>
<context>
    <name>ChatList</name>
    <message>
        <source>Search messages</source>
        <translation>Buscar mensajes</translation>
    </message>
    <message>
        <source>New chat</source>
        <translation>Nuevo chat</translation>
    </message>
    <message>
        <source>New group</source>
        <translation>Nuevo grupo</translation>
    </message>
    <message>
        <source>Chats</source>
        <translation>Chats</translation>
    </message>
    <message numerus="yes">
        <source>%1, %n unread</source>
        <translation>
            <numerusform>%1, %n sin leer</numerusform>
            <numerusform>%1, %n sin leer</numerusform>
        </translation>
    </message>
    <message>
        <source>typing…</source>
        <translation>escribiendo…</translation>
    </message>
    <message>
        <source>Safety key changed</source>
        <translation>La clave de seguridad cambió</translation>
    </message>
    <message>
        <source>No chats yet. Start one with a friend you added in People.</source>
        <translation>Aún no hay chats. Empieza uno con alguien que hayas añadido en Personas.</translation>
    </message>
    <message>
        <source>Messaging is not running.</source>
        <translation>La mensajería no está en marcha.</translation>
    </message>
    <message>
        <source>No message matches.</source>
        <translation>Ningún mensaje coincide.</translation>
    </message>
    <message>
        <source>New chat or group</source>
        <translation>Nuevo chat o grupo</translation>
    </message>
</context>
<context>
    <name>Composer</name>
    <message>
        <source>Send a file</source>
        <translation>Enviar un archivo</translation>
    </message>
    <message>
        <source>Attach a file</source>
        <translation>Adjuntar un archivo</translation>
    </message>
    <message>
        <source>Sending is paused until you decide about the new key</source>
        <translation>El envío está en pausa hasta que decidas sobre la nueva clave</translation>
    </message>
    <message>
        <source>Write a message</source>
        <translation>Escribe un mensaje</translation>
    </message>
    <message>
        <source>Message</source>
        <translation>Mensaje</translation>
    </message>
    <message>
        <source>Send</source>
        <translation>Enviar</translation>
    </message>
    <message>
        <source>Send message</source>
        <translation>Enviar mensaje</translation>
    </message>
</context>
<context>
    <name>ConversationView</name>
    <message>
        <source>Off</source>
        <translation>Desactivado</translation>
    </message>
    <message numerus="yes">
        <source>%n minute(s)</source>
        <translation>
            <numerusform>%n minuto</numerusform>
            <numerusform>%n minutos</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n hour(s)</source>
        <translation>
            <numerusform>%n hora</numerusform>
            <numerusform>%n horas</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n day(s)</source>
        <translation>
            <numerusform>%n día</numerusform>
            <numerusform>%n días</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n week(s)</source>
        <translation>
            <numerusform>%n semana</numerusform>
            <numerusform>%n semanas</numerusform>
        </translation>
    </message>
    <message>
        <source>Back to chats</source>
        <translation>Volver a los chats</translation>
    </message>
    <message>
        <source>typing…</source>
        <translation>escribiendo…</translation>
    </message>
    <message>
        <source>Messages disappear after %1</source>
        <translation>Los mensajes desaparecen tras %1</translation>
    </message>
    <message>
        <source>Chat options</source>
        <translation>Opciones del chat</translation>
    </message>
    <message>
        <source>Group members and name…</source>
        <translation>Miembros y nombre del grupo…</translation>
    </message>
    <message>
        <source>Disappearing messages</source>
        <translation>Mensajes temporales</translation>
    </message>
    <message>
        <source>%1&apos;s safety key changed. Sending is paused until you decide whether to trust the new key.</source>
        <translation>La clave de seguridad de %1 cambió. El envío está en pausa hasta que decidas si confías en la nueva clave.</translation>
    </message>
    <message>
        <source>Review the new key</source>
        <translation>Revisar la nueva clave</translation>
    </message>
    <message>
        <source>Review the new key in People</source>
        <translation>Revisar la nueva clave en Personas</translation>
    </message>
    <message>
        <source>Messages</source>
        <translation>Mensajes</translation>
    </message>
    <message>
        <source>No messages yet. Messages are end-to-end encrypted: only the people in this chat can read them.</source>
        <translation>Aún no hay mensajes. Los mensajes están cifrados de extremo a extremo: solo las personas de este chat pueden leerlos.</translation>
    </message>
    <message>
        <source>Choose a chat, or start one with a friend.</source>
        <translation>Elige un chat o empieza uno con alguien de confianza.</translation>
    </message>
    <message>
        <source>Send read receipts</source>
        <translation>Enviar confirmaciones de lectura</translation>
    </message>
    <message>
        <source>Show that I am typing</source>
        <translation>Mostrar que estoy escribiendo</translation>
    </message>
</context>
<context>
    <name>GroupDialog</name>
    <message>
        <source>New group</source>
        <translation>Nuevo grupo</translation>
    </message>
    <message>
        <source>Group members and name</source>
        <translation>Miembros y nombre del grupo</translation>
    </message>
    <message>
        <source>Group name</source>
        <translation>Nombre del grupo</translation>
    </message>
    <message>
        <source>Members</source>
        <translation>Miembros</translation>
    </message>
    <message>
        <source>Member %1</source>
        <translation>Miembro %1</translation>
    </message>
    <message>
        <source>No contacts yet. Add friends in People by scanning their code.</source>
        <translation>Aún no hay contactos. Añade amistades en Personas escaneando su código.</translation>
    </message>
    <message>
        <source>Removed members cannot read what is written after they leave.</source>
        <translation>Los miembros eliminados no pueden leer lo que se escriba después de su salida.</translation>
    </message>
    <message>
        <source>%1 (key %2)</source>
        <translation>%1 (clave %2)</translation>
    </message>
</context>
<context>
    <name>HiveLogo</name>
    <message>
        <source>Hive logo</source>
        <translation>Logotipo de Hive</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Your name</source>
        <translation>Tu nombre</translation>
    </message>
    <message>
        <source>Save</source>
        <translation>Guardar</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Huella digital</translation>
    </message>
    <message>
        <source>Friends compare this with what their Hive shows to be sure they are talking to you.</source>
        <translation>Tus amigos la comparan con lo que muestra su Hive para asegurarse de que hablan contigo.</translation>
    </message>
    <message>
        <source>Protection</source>
        <translation>Protección</translation>
    </message>
    <message>
        <source>Your data is encrypted; the key is kept in the system keychain.</source>
        <translation>Tus datos están cifrados; la clave se guarda en el llavero del sistema.</translation>
    </message>
    <message>
        <source>Your data is encrypted with a key derived from your passphrase.</source>
        <translation>Tus datos están cifrados con una clave derivada de tu frase de contraseña.</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation>Perfil: %1</translation>
    </message>
    <message>
        <source>Plugins</source>
        <translation>Complementos</translation>
    </message>
    <message>
        <source>Edit name</source>
        <translation>Cambiar el nombre</translation>
    </message>
</context>
<context>
    <name>LanguageSelector</name>
    <message>
        <source>System default</source>
        <translation>Idioma del sistema</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
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
        <translation>Tú</translation>
    </message>
    <message>
        <source>Image %1</source>
        <translation>Imagen %1</translation>
    </message>
    <message>
        <source>%1% of %2</source>
        <translation>%1 % de %2</translation>
    </message>
    <message>
        <source>Transfer of %1</source>
        <translation>Transferencia de %1</translation>
    </message>
    <message>
        <source>Disappears</source>
        <translation>Desaparece</translation>
    </message>
    <message>
        <source>Upload failed — tap to retry</source>
        <translation>Error al subir — toca para reintentar</translation>
    </message>
    <message>
        <source>Download failed — tap to retry</source>
        <translation>Error al descargar — toca para reintentar</translation>
    </message>
</context>
<context>
    <name>MessagingPage</name>
    <message>
        <source>Messaging</source>
        <translation>Mensajería</translation>
    </message>
    <message>
        <source>The plugin is not connected.</source>
        <translation>El complemento no está conectado.</translation>
    </message>
</context>
<context>
    <name>MyCodePage</name>
    <message>
        <source>Contacts are not available for this profile.</source>
        <translation>Los contactos no están disponibles para este perfil.</translation>
    </message>
    <message>
        <source>QR code of your contact card</source>
        <translation>Código QR de tu tarjeta de contacto</translation>
    </message>
    <message>
        <source>Let a friend scan this code with Hive. You both end up verified in person.</source>
        <translation>Deja que un amigo escanee este código con Hive. Así ambos quedáis verificados en persona.</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Huella</translation>
    </message>
    <message>
        <source>This code admits one friend request and expires on %1.</source>
        <translation>Este código admite una solicitud de amistad y caduca el %1.</translation>
    </message>
    <message>
        <source>Your personal node is not known yet, so friend requests cannot reach you. Open Settings to choose or start a node.</source>
        <translation>Tu nodo personal aún no se conoce, así que las solicitudes de amistad no pueden llegarte. Abre Ajustes para elegir o iniciar un nodo.</translation>
    </message>
    <message>
        <source>Link copied</source>
        <translation>Enlace copiado</translation>
    </message>
    <message>
        <source>Copy link</source>
        <translation>Copiar enlace</translation>
    </message>
    <message>
        <source>New code</source>
        <translation>Código nuevo</translation>
    </message>
    <message>
        <source>People who add you from a link start as unverified until you compare safety numbers.</source>
        <translation>Quien te añada desde un enlace empieza sin verificar hasta que comparéis los números de seguridad.</translation>
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
        <translation>Yo</translation>
    </message>
    <message>
        <source>Plugins</source>
        <translation>Complementos</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personas</translation>
    </message>
    <message>
        <source>1 key change to review</source>
        <translation>1 cambio de clave por revisar</translation>
    </message>
    <message>
        <source>%1 key changes to review</source>
        <translation>%1 cambios de clave por revisar</translation>
    </message>
    <message>
        <source>1 contact</source>
        <translation>1 contacto</translation>
    </message>
    <message>
        <source>%1 contacts</source>
        <translation>%1 contactos</translation>
    </message>
    <message>
        <source>My code</source>
        <translation>Mi código</translation>
    </message>
    <message>
        <source>Let a friend scan it</source>
        <translation>Para que lo escaneen</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Escanear</translation>
    </message>
    <message>
        <source>Add a friend</source>
        <translation>Añadir un amigo</translation>
    </message>
</context>
<context>
    <name>NewChatDialog</name>
    <message>
        <source>New chat</source>
        <translation>Nuevo chat</translation>
    </message>
    <message>
        <source>Chat with %1</source>
        <translation>Chatear con %1</translation>
    </message>
    <message>
        <source>No contacts yet. Add friends in People by scanning their code.</source>
        <translation>Aún no hay contactos. Añade amistades en Personas escaneando su código.</translation>
    </message>
    <message>
        <source>%1 (key %2)</source>
        <translation>%1 (clave %2)</translation>
    </message>
</context>
<context>
    <name>NodeSettings</name>
    <message>
        <source>Connected</source>
        <translation>Conectado</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>Conectando…</translation>
    </message>
    <message>
        <source>Cannot connect</source>
        <translation>No se puede conectar</translation>
    </message>
    <message>
        <source>Not connected</source>
        <translation>No conectado</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>iniciándose</translation>
    </message>
    <message>
        <source>running</source>
        <translation>en marcha</translation>
    </message>
    <message>
        <source>restarting</source>
        <translation>reiniciándose</translation>
    </message>
    <message>
        <source>failed</source>
        <translation>fallido</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>detenido</translation>
    </message>
    <message>
        <source>Owner</source>
        <translation>Propietario</translation>
    </message>
    <message>
        <source>Friend</source>
        <translation>Amigo</translation>
    </message>
    <message>
        <source>Anonymous</source>
        <translation>Anónimo</translation>
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
        <translation>%1 d %2 h %3 min</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <extracomment>Uptime: %1 hours, %2 minutes.</extracomment>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <extracomment>Uptime: %1 minutes, %2 seconds.</extracomment>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <source>Your personal node keeps your mailbox, presence and backups. Hive runs one on this computer unless you choose another.</source>
        <translation>Tu nodo personal guarda tu buzón, tu presencia y tus copias de seguridad. Hive ejecuta uno en este ordenador salvo que elijas otro.</translation>
    </message>
    <message>
        <source>The node is not available until the profile is unlocked.</source>
        <translation>El nodo no está disponible hasta que se desbloquee el perfil.</translation>
    </message>
    <message>
        <source>Address</source>
        <translation>Dirección</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Copiar</translation>
    </message>
    <message>
        <source>The address has been copied.</source>
        <translation>Se ha copiado la dirección.</translation>
    </message>
    <message>
        <source>This computer (%1, port %2)</source>
        <extracomment>%1 is the local node&apos;s state (running, starting, ...), %2 its port.</extracomment>
        <translation>Este ordenador (%1, puerto %2)</translation>
    </message>
    <message>
        <source>Another node</source>
        <translation>Otro nodo</translation>
    </message>
    <message>
        <source>Runs on</source>
        <translation>Se ejecuta en</translation>
    </message>
    <message>
        <source>Connection</source>
        <translation>Conexión</translation>
    </message>
    <message>
        <source>Your role</source>
        <translation>Tu papel</translation>
    </message>
    <message>
        <source>Uptime</source>
        <translation>Tiempo en marcha</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Almacenamiento</translation>
    </message>
    <message>
        <source>%1 of %2 used, %3 objects</source>
        <extracomment>%1 used of %2 capacity, %3 the number of stored objects.</extracomment>
        <translation>%1 de %2 en uso, %3 objetos</translation>
    </message>
    <message>
        <source>Unknown until the node answers</source>
        <translation>Desconocido hasta que el nodo responda</translation>
    </message>
    <message>
        <source>Problem</source>
        <translation>Problema</translation>
    </message>
    <message>
        <source>Use another node</source>
        <translation>Usar otro nodo</translation>
    </message>
    <message>
        <source>hive://… address of the node</source>
        <translation>hive://… dirección del nodo</translation>
    </message>
    <message>
        <source>This is not a node address: %1</source>
        <extracomment>%1 is the technical reason the address was refused.</extracomment>
        <translation>Esta no es una dirección de nodo: %1</translation>
    </message>
    <message>
        <source>Use this node</source>
        <translation>Usar este nodo</translation>
    </message>
    <message>
        <source>Hive now uses the node you entered.</source>
        <translation>Hive usa ahora el nodo que has introducido.</translation>
    </message>
    <message>
        <source>Use the node on this computer</source>
        <translation>Usar el nodo de este ordenador</translation>
    </message>
    <message>
        <source>Hive uses the node on this computer again.</source>
        <translation>Hive vuelve a usar el nodo de este ordenador.</translation>
    </message>
    <message>
        <source>Port of the local node</source>
        <translation>Puerto del nodo local</translation>
    </message>
    <message>
        <source>Change port</source>
        <translation>Cambiar puerto</translation>
    </message>
    <message>
        <source>The local node now listens on port %1.</source>
        <translation>El nodo local escucha ahora en el puerto %1.</translation>
    </message>
</context>
<context>
    <name>OnboardingPage</name>
    <message>
        <source>Welcome to Hive</source>
        <translation>Te damos la bienvenida a Hive</translation>
    </message>
    <message>
        <source>Hive keeps your messages, places and backups between you and the people you trust. Everything is stored encrypted on this device.</source>
        <translation>Hive mantiene tus mensajes, lugares y copias de seguridad entre tú y las personas en las que confías. Todo se guarda cifrado en este dispositivo.</translation>
    </message>
    <message>
        <source>Your name</source>
        <translation>Tu nombre</translation>
    </message>
    <message>
        <source>How friends will see you</source>
        <translation>Cómo te verán tus amigos</translation>
    </message>
    <message>
        <source>Protect your data</source>
        <translation>Protege tus datos</translation>
    </message>
    <message>
        <source>Keep the key in the system keychain</source>
        <translation>Guardar la clave en el llavero del sistema</translation>
    </message>
    <message>
        <source>No system keychain can be reached on this computer, so Hive protects your data with a passphrase.</source>
        <translation>No se puede acceder a ningún llavero del sistema en este equipo, así que Hive protege tus datos con una frase de contraseña.</translation>
    </message>
    <message>
        <source>Protect with a passphrase</source>
        <translation>Proteger con una frase de contraseña</translation>
    </message>
    <message>
        <source>You will type it each time Hive starts. Nobody can recover it for you.</source>
        <translation>La escribirás cada vez que se inicie Hive. Nadie podrá recuperarla por ti.</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Frase de contraseña</translation>
    </message>
    <message>
        <source>Repeat the passphrase</source>
        <translation>Repite la frase de contraseña</translation>
    </message>
    <message>
        <source>The two passphrases do not match.</source>
        <translation>Las dos frases de contraseña no coinciden.</translation>
    </message>
    <message>
        <source>Create my profile</source>
        <translation>Crear mi perfil</translation>
    </message>
</context>
<context>
    <name>PassphraseStrength</name>
    <message>
        <source>Use at least 8 characters; a few unrelated words work well.</source>
        <translation>Usa al menos 8 caracteres; unas cuantas palabras sin relación funcionan bien.</translation>
    </message>
    <message>
        <source>Strength: weak</source>
        <translation>Seguridad: débil</translation>
    </message>
    <message>
        <source>Strength: fair</source>
        <translation>Seguridad: aceptable</translation>
    </message>
    <message>
        <source>Strength: good</source>
        <translation>Seguridad: buena</translation>
    </message>
    <message>
        <source>Strength: strong</source>
        <translation>Seguridad: fuerte</translation>
    </message>
</context>
<context>
    <name>PeoplePage</name>
    <message>
        <source>%1 wants to be your friend</source>
        <translation>%1 quiere ser tu amigo</translation>
    </message>
    <message>
        <source>Accept</source>
        <translation>Aceptar</translation>
    </message>
    <message>
        <source>Decline</source>
        <translation>Rechazar</translation>
    </message>
    <message>
        <source>Share resources</source>
        <translation>Compartir recursos</translation>
    </message>
    <message>
        <source>Contacts are not available for this profile.</source>
        <translation>Los contactos no están disponibles para este perfil.</translation>
    </message>
    <message>
        <source>%1&apos;s key has changed</source>
        <translation>La clave de %1 ha cambiado</translation>
    </message>
    <message>
        <source>Nothing is sent to %1 until you decide. Accept only if %1 told you they set up Hive again.</source>
        <translation>No se envía nada a %1 hasta que decidas. Acepta solo si %1 te dijo que volvió a configurar Hive.</translation>
    </message>
    <message>
        <source>old: %1</source>
        <translation>antigua: %1</translation>
    </message>
    <message>
        <source>new: %1</source>
        <translation>nueva: %1</translation>
    </message>
    <message>
        <source>Accept new key</source>
        <translation>Aceptar clave nueva</translation>
    </message>
    <message>
        <source>Keep old key</source>
        <translation>Conservar clave antigua</translation>
    </message>
    <message>
        <source>No contacts yet</source>
        <translation>Aún no hay contactos</translation>
    </message>
    <message>
        <source>Meet a friend and scan each other&apos;s codes, or send them your link.</source>
        <translation>Queda con un amigo y escaneaos los códigos, o envíale tu enlace.</translation>
    </message>
    <message>
        <source>Show my code</source>
        <translation>Mostrar mi código</translation>
    </message>
    <message>
        <source>Scan a code</source>
        <translation>Escanear un código</translation>
    </message>
    <message>
        <source>Choose a person to see their safety number.</source>
        <translation>Elige una persona para ver su número de seguridad.</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personas</translation>
    </message>
    <message>
        <source>Fingerprint</source>
        <translation>Huella</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nodo</translation>
    </message>
    <message>
        <source>not known yet</source>
        <translation>aún desconocido</translation>
    </message>
    <message>
        <source>Safety number</source>
        <translation>Número de seguridad</translation>
    </message>
    <message>
        <source>Compare these digits with the ones %1 sees, in person or on a call. If they match, nobody is in between.</source>
        <translation>Compara estas cifras con las que ve %1, en persona o en una llamada. Si coinciden, no hay nadie en medio.</translation>
    </message>
    <message>
        <source>QR code of the safety number</source>
        <translation>Código QR del número de seguridad</translation>
    </message>
    <message>
        <source>The numbers match</source>
        <translation>Los números coinciden</translation>
    </message>
</context>
<context>
    <name>PluginPage</name>
    <message>
        <source>This plugin is not available.</source>
        <translation>Este complemento no está disponible.</translation>
    </message>
    <message>
        <source>The page of %1 could not be loaded.</source>
        <translation>No se pudo cargar la página de %1.</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <extracomment>%1 is a plugin name, %2 its state (for example &quot;failed&quot;).</extracomment>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>The other plugins keep running. Restart Hive after fixing the cause.</source>
        <translation>Los demás complementos siguen funcionando. Reinicia Hive después de corregir la causa.</translation>
    </message>
</context>
<context>
    <name>PresencePage</name>
    <message>
        <source>Presence</source>
        <translation>Presencia</translation>
    </message>
    <message>
        <source>Who sees you</source>
        <translation>Quién te ve</translation>
    </message>
    <message>
        <source>Choose per friend whether they see that you are online, and whether they see your position.</source>
        <translation>Elige para cada amigo si ve que estás conectado y si ve tu ubicación.</translation>
    </message>
    <message>
        <source>Precision you choose</source>
        <translation>La precisión que tú elijas</translation>
    </message>
    <message>
        <source>Share your exact position, about a kilometre, or only your city, separately for each friend.</source>
        <translation>Comparte tu ubicación exacta, aproximada a un kilómetro o solo tu ciudad, por separado para cada amigo.</translation>
    </message>
    <message>
        <source>Always time-limited</source>
        <translation>Siempre con límite de tiempo</translation>
    </message>
    <message>
        <source>Sharing ends after 15 minutes, an hour, or when you stop it; nothing is shared forever by accident.</source>
        <translation>Se deja de compartir a los 15 minutos, a la hora o cuando lo detengas; nada se comparte para siempre por accidente.</translation>
    </message>
    <message>
        <source>Private on the way</source>
        <translation>Privado por el camino</translation>
    </message>
    <message>
        <source>Positions are encrypted on your device; nodes and relays pass them on without being able to read them.</source>
        <translation>Las ubicaciones se cifran en tu dispositivo; los nodos y repetidores las transmiten sin poder leerlas.</translation>
    </message>
    <message>
        <source>Let chosen friends see that you are around and, if you want, where you are — as precisely and for as long as you decide.</source>
        <translation>Deja que los amigos que elijas vean que estás disponible y, si quieres, dónde estás, con la precisión y durante el tiempo que decidas.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>The plugin is not connected.</source>
        <translation>El complemento no está conectado.</translation>
    </message>
    <message>
        <source>Coming in later releases</source>
        <translation>Llegará en próximas versiones</translation>
    </message>
</context>
<context>
    <name>ProfileErrorPage</name>
    <message>
        <source>Hive cannot open your profile</source>
        <translation>Hive no puede abrir tu perfil</translation>
    </message>
    <message>
        <source>Your files have not been changed. If the system keychain was locked, unlock it and try again.</source>
        <translation>Tus archivos no se han modificado. Si el llavero del sistema estaba bloqueado, desbloquéalo y vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation>Perfil: %1</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Reintentar</translation>
    </message>
</context>
<context>
    <name>ResourcesPage</name>
    <message>
        <source>Resources</source>
        <translation>Recursos</translation>
    </message>
    <message>
        <source>Share a part of your node</source>
        <translation>Comparte una parte de tu nodo</translation>
    </message>
    <message>
        <source>Give a friend a share of your node, for example 20% of its storage, CPU and bandwidth.</source>
        <translation>Da a un amigo una parte de tu nodo, por ejemplo el 20 % de su almacenamiento, CPU y ancho de banda.</translation>
    </message>
    <message>
        <source>Re-sharing with limits</source>
        <translation>Volver a compartir con límites</translation>
    </message>
    <message>
        <source>Friends may pass part of a grant on to their friends, never more than they received and never for longer.</source>
        <translation>Tus amigos pueden pasar parte de una concesión a sus amigos, nunca más de lo que recibieron ni por más tiempo.</translation>
    </message>
    <message>
        <source>Checked by the node itself</source>
        <translation>Comprobado por el propio nodo</translation>
    </message>
    <message>
        <source>Nodes verify grants offline with their owner&apos;s key; you can revoke a grant at any time.</source>
        <translation>Los nodos verifican las concesiones sin conexión con la clave de su propietario; puedes revocar una concesión en cualquier momento.</translation>
    </message>
    <message>
        <source>Run computation</source>
        <translation>Ejecutar cálculos</translation>
    </message>
    <message>
        <source>Run small jobs on the nodes you may use, balanced across them and limited to their budget.</source>
        <translation>Ejecuta pequeñas tareas en los nodos que puedes usar, repartidas entre ellos y dentro de su presupuesto.</translation>
    </message>
    <message>
        <source>Share what your nodes can do — storage, computing time and bandwidth — with friends, and use what they share with you.</source>
        <translation>Comparte con tus amigos lo que pueden ofrecer tus nodos —almacenamiento, tiempo de cálculo y ancho de banda— y usa lo que ellos comparten contigo.</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Estado</translation>
    </message>
    <message>
        <source>The plugin is not connected.</source>
        <translation>El complemento no está conectado.</translation>
    </message>
    <message>
        <source>Coming in later releases</source>
        <translation>Llegará en próximas versiones</translation>
    </message>
</context>
<context>
    <name>ScanPage</name>
    <message>
        <source>Open a picture of a Hive code</source>
        <translation>Abrir una imagen de un código de Hive</translation>
    </message>
    <message>
        <source>Images (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</source>
        <translation>Imágenes (*.png *.jpg *.jpeg *.bmp *.gif *.webp)</translation>
    </message>
    <message>
        <source>The camera cannot be used</source>
        <translation>No se puede usar la cámara</translation>
    </message>
    <message>
        <source>No camera found</source>
        <translation>No se encontró ninguna cámara</translation>
    </message>
    <message>
        <source>Hive may not have permission to use it, or another app is using it (%1).</source>
        <translation>Puede que Hive no tenga permiso para usarla o que otra aplicación la esté usando (%1).</translation>
    </message>
    <message>
        <source>This device has no camera Hive can use. Open a picture of your friend&apos;s code instead, or paste the link they sent you.</source>
        <translation>Este dispositivo no tiene una cámara que Hive pueda usar. Abre una imagen del código de tu amigo o pega el enlace que te envió.</translation>
    </message>
    <message>
        <source>Add a friend</source>
        <translation>Añadir un amigo</translation>
    </message>
    <message>
        <source>Point the camera at the code on your friend&apos;s My code page. Scanning it in person verifies them.</source>
        <translation>Apunta la cámara al código de la página «Mi código» de tu amigo. Escanearlo en persona lo verifica.</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>Abrir imagen…</translation>
    </message>
    <message>
        <source>Paste link</source>
        <translation>Pegar enlace</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Añadir</translation>
    </message>
    <message>
        <source>People added from a link are unverified until you compare safety numbers with them.</source>
        <translation>Las personas añadidas desde un enlace no están verificadas hasta que compares con ellas los números de seguridad.</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>Appearance</source>
        <translation>Apariencia</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
    <message>
        <source>Your passphrase has been changed.</source>
        <translation>Tu frase de contraseña se ha cambiado.</translation>
    </message>
    <message>
        <source>Security</source>
        <translation>Seguridad</translation>
    </message>
    <message>
        <source>The key of this profile is kept in the system keychain, so there is no passphrase to change.</source>
        <translation>La clave de este perfil se guarda en el llavero del sistema, así que no hay ninguna frase de contraseña que cambiar.</translation>
    </message>
    <message>
        <source>Change passphrase</source>
        <translation>Cambiar la frase de contraseña</translation>
    </message>
    <message>
        <source>Current passphrase</source>
        <translation>Frase de contraseña actual</translation>
    </message>
    <message>
        <source>New passphrase</source>
        <translation>Nueva frase de contraseña</translation>
    </message>
    <message>
        <source>Repeat the new passphrase</source>
        <translation>Repite la nueva frase de contraseña</translation>
    </message>
    <message>
        <source>The two passphrases do not match.</source>
        <translation>Las dos frases de contraseña no coinciden.</translation>
    </message>
    <message>
        <source>About</source>
        <translation>Acerca de</translation>
    </message>
    <message>
        <source>Hive %1 — your messages, places and backups, shared only with people you trust.</source>
        <extracomment>%1 is a version number such as 0.1.0.</extracomment>
        <translation>Hive %1: tus mensajes, lugares y copias de seguridad, compartidos solo con personas de confianza.</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <translation>Perfil: %1</translation>
    </message>
</context>
<context>
    <name>ShareResourcesDialog</name>
    <message>
        <source>Share resources with %1</source>
        <translation>Compartir recursos con %1</translation>
    </message>
    <message>
        <source>%1 may use this much of your node. Your node checks every request and stops them at the limit.</source>
        <translation>%1 puede usar esta parte de tu nodo. Tu nodo comprueba cada petición y se detiene en el límite.</translation>
    </message>
    <message>
        <source>Storage</source>
        <translation>Almacenamiento</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>Bandwidth</source>
        <translation>Ancho de banda</translation>
    </message>
    <message>
        <source>%1%</source>
        <translation>%1 %</translation>
    </message>
    <message>
        <source>May share on with their friends</source>
        <translation>Puede compartirlo con sus amigos</translation>
    </message>
    <message>
        <source>Days</source>
        <translation>Días</translation>
    </message>
    <message>
        <source>Give</source>
        <translation>Dar</translation>
    </message>
    <message>
        <source>Given and received</source>
        <translation>Dado y recibido</translation>
    </message>
    <message>
        <source>Nothing shared yet.</source>
        <translation>Aún no se ha compartido nada.</translation>
    </message>
    <message>
        <source>Given</source>
        <translation>Dado</translation>
    </message>
    <message>
        <source>Received</source>
        <translation>Recibido</translation>
    </message>
    <message>
        <source>storage %1%, CPU %2%, bandwidth %3% until %4</source>
        <translation>almacenamiento %1 %, CPU %2 %, ancho de banda %3 % hasta %4</translation>
    </message>
    <message>
        <source>revoked</source>
        <translation>revocado</translation>
    </message>
    <message>
        <source>expired</source>
        <translation>caducado</translation>
    </message>
    <message>
        <source>Revoke</source>
        <translation>Revocar</translation>
    </message>
</context>
<context>
    <name>Shell</name>
    <message>
        <source>Me</source>
        <translation>Yo</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>Ajustes</translation>
    </message>
    <message>
        <source>Open navigation</source>
        <translation>Abrir la navegación</translation>
    </message>
    <message>
        <source>People</source>
        <translation>Personas</translation>
    </message>
    <message>
        <source>My code</source>
        <translation>Mi código</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Escanear</translation>
    </message>
</context>
<context>
    <name>ThemeSelector</name>
    <message>
        <source>Same as the system</source>
        <translation>Igual que el sistema</translation>
    </message>
    <message>
        <source>Light</source>
        <translation>Claro</translation>
    </message>
    <message>
        <source>Dark</source>
        <translation>Oscuro</translation>
    </message>
    <message>
        <source>Theme</source>
        <translation>Tema</translation>
    </message>
</context>
<context>
    <name>TrustBadge</name>
    <message>
        <source>Key changed</source>
        <translation>Clave cambiada</translation>
    </message>
    <message>
        <source>Request pending</source>
        <translation>Solicitud pendiente</translation>
    </message>
    <message>
        <source>In person</source>
        <translation>En persona</translation>
    </message>
    <message>
        <source>Verified in person</source>
        <translation>Verificado en persona</translation>
    </message>
    <message>
        <source>Safety number</source>
        <translation>Número de seguridad</translation>
    </message>
    <message>
        <source>Verified by safety number</source>
        <translation>Verificado por número de seguridad</translation>
    </message>
    <message>
        <source>Unverified</source>
        <translation>Sin verificar</translation>
    </message>
</context>
<context>
    <name>TrustNotice</name>
    <message>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
</context>
<context>
    <name>UnlockPage</name>
    <message>
        <source>Unlock Hive</source>
        <translation>Desbloquear Hive</translation>
    </message>
    <message>
        <source>Enter the passphrase that protects this profile.</source>
        <translation>Introduce la frase de contraseña que protege este perfil.</translation>
    </message>
    <message>
        <source>Passphrase</source>
        <translation>Frase de contraseña</translation>
    </message>
    <message>
        <source>Unlock</source>
        <translation>Desbloquear</translation>
    </message>
    <message>
        <source>Profile: %1</source>
        <extracomment>%1 is the folder that holds the profile.</extracomment>
        <translation>Perfil: %1</translation>
    </message>
</context>
<context>
    <name>hive::app::AppController</name>
    <message>
        <source>The profile files are damaged or were written by a newer version of Hive.</source>
        <translation>Los archivos del perfil están dañados o los escribió una versión más reciente de Hive.</translation>
    </message>
    <message>
        <source>Please enter a name of at most 64 characters.</source>
        <translation>Introduce un nombre de 64 caracteres como máximo.</translation>
    </message>
    <message>
        <source>Please choose a passphrase.</source>
        <translation>Elige una frase de contraseña.</translation>
    </message>
    <message>
        <source>Hive is locked.</source>
        <translation>Hive está bloqueado.</translation>
    </message>
    <message>
        <source>Hive is busy; please try again in a moment.</source>
        <translation>Hive está ocupado; inténtalo de nuevo en un momento.</translation>
    </message>
    <message>
        <source>This profile keeps its key in the system keychain.</source>
        <translation>Este perfil guarda su clave en el llavero del sistema.</translation>
    </message>
    <message>
        <source>The new passphrase needs at least 8 characters.</source>
        <translation>La nueva frase de contraseña necesita al menos 8 caracteres.</translation>
    </message>
    <message>
        <source>The current passphrase is not right.</source>
        <translation>La frase de contraseña actual no es correcta.</translation>
    </message>
    <message>
        <source>That passphrase is not right. Please try again.</source>
        <translation>Esa frase de contraseña no es correcta. Vuelve a intentarlo.</translation>
    </message>
    <message>
        <source>The system keychain cannot be reached (%1).</source>
        <extracomment>%1 is the technical reason given by the system.</extracomment>
        <translation>No se puede acceder al llavero del sistema (%1).</translation>
    </message>
    <message>
        <source>The profile files are damaged (%1). They have not been changed.</source>
        <translation>Los archivos del perfil están dañados (%1). No se han modificado.</translation>
    </message>
    <message>
        <source>This profile was written by a newer version of Hive.</source>
        <translation>Este perfil lo escribió una versión más reciente de Hive.</translation>
    </message>
</context>
<context>
    <name>hive::backup::BackupPlugin</name>
    <message>
        <source>Ready. Backups arrive in a later release.</source>
        <translation>Listo. Las copias de seguridad llegarán en una próxima versión.</translation>
    </message>
</context>
<context>
    <name>hive::core::BasicPlugin</name>
    <message>
        <source>Not started</source>
        <translation>Sin iniciar</translation>
    </message>
    <message>
        <source>Storage could not be prepared: %1</source>
        <translation>No se pudo preparar el almacenamiento: %1</translation>
    </message>
    <message>
        <source>Could not start: %1</source>
        <translation>No se pudo iniciar: %1</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Detenido</translation>
    </message>
</context>
<context>
    <name>hive::core::PluginHost</name>
    <message>
        <source>plugin class %1 has no JSON metadata (Q_PLUGIN_METADATA FILE)</source>
        <translation>la clase de complemento %1 no tiene metadatos JSON (Q_PLUGIN_METADATA FILE)</translation>
    </message>
    <message>
        <source>invalid metadata: %1</source>
        <translation>metadatos no válidos: %1</translation>
    </message>
    <message>
        <source>another plugin (%1) already uses the id &quot;%2&quot;</source>
        <translation>otro complemento (%1) ya usa el identificador «%2»</translation>
    </message>
    <message>
        <source>the plugin object could not be created</source>
        <translation>no se pudo crear el objeto del complemento</translation>
    </message>
    <message>
        <source>the plugin object does not implement %1</source>
        <translation>el objeto del complemento no implementa %1</translation>
    </message>
    <message>
        <source>dependency cycle: %1</source>
        <translation>dependencia circular: %1</translation>
    </message>
    <message>
        <source>needs plugin &quot;%1&quot;, which is not installed</source>
        <translation>necesita el complemento «%1», que no está instalado</translation>
    </message>
    <message>
        <source>needs plugin &quot;%1&quot; %2, but version %3 is installed</source>
        <translation>necesita el complemento «%1» %2, pero está instalada la versión %3</translation>
    </message>
    <message>
        <source>needs plugin &quot;%1&quot;, which is not running (%2)</source>
        <translation>necesita el complemento «%1», que no está en ejecución (%2)</translation>
    </message>
    <message>
        <source>initialize failed: %1</source>
        <translation>falló la inicialización: %1</translation>
    </message>
    <message>
        <source>Not started</source>
        <translation>Sin iniciar</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>En ejecución</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Con errores</translation>
    </message>
    <message>
        <source>Missing dependency</source>
        <translation>Falta una dependencia</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>Detenido</translation>
    </message>
</context>
<context>
    <name>hive::core::TrustController</name>
    <message>
        <source>Friend request</source>
        <translation>Solicitud de amistad</translation>
    </message>
    <message>
        <source>%1 wants to be your friend. Accept or decline on the People page.</source>
        <translation>%1 quiere ser tu amigo. Acepta o rechaza en la página Personas.</translation>
    </message>
    <message>
        <source>New friend</source>
        <translation>Nuevo amigo</translation>
    </message>
    <message>
        <source>%1 added you too; you are now friends.</source>
        <translation>%1 también te ha añadido; ahora sois amigos.</translation>
    </message>
    <message>
        <source>Key changed</source>
        <translation>Clave cambiada</translation>
    </message>
    <message>
        <source>A request claims to be %1 with another key. Decide on the People page.</source>
        <translation>Una solicitud dice ser %1 con otra clave. Decide en la página Personas.</translation>
    </message>
    <message>
        <source>Friend request accepted</source>
        <translation>Solicitud de amistad aceptada</translation>
    </message>
    <message>
        <source>%1 accepted your friend request.</source>
        <translation>%1 ha aceptado tu solicitud de amistad.</translation>
    </message>
    <message>
        <source>The request could not be accepted: %1</source>
        <translation>No se pudo aceptar la solicitud: %1</translation>
    </message>
    <message>
        <source>The request could not be declined.</source>
        <translation>No se pudo rechazar la solicitud.</translation>
    </message>
    <message>
        <source>You have no node to share yet.</source>
        <translation>Todavía no tienes un nodo que compartir.</translation>
    </message>
    <message>
        <source>Choose up to 7 re-shares and 1 to 365 days.</source>
        <translation>Elige hasta 7 recomparticiones y de 1 a 365 días.</translation>
    </message>
    <message>
        <source>The grant could not be made: %1</source>
        <translation>No se pudo crear la concesión: %1</translation>
    </message>
    <message>
        <source>This grant no longer exists.</source>
        <translation>Esta concesión ya no existe.</translation>
    </message>
    <message>
        <source>The grant could not be revoked: %1</source>
        <translation>No se pudo revocar la concesión: %1</translation>
    </message>
    <message>
        <source>Your code could not be made: %1</source>
        <translation>No se pudo crear tu código: %1</translation>
    </message>
    <message>
        <source>Your code could not be drawn: %1</source>
        <translation>No se pudo dibujar tu código: %1</translation>
    </message>
    <message>
        <source>This is not a Hive code. Ask your friend for the code on their My code page.</source>
        <translation>Esto no es un código de Hive. Pide a tu amigo el código de su página «Mi código».</translation>
    </message>
    <message>
        <source>This Hive code is damaged. Ask your friend to show or send it again.</source>
        <translation>Este código de Hive está dañado. Pide a tu amigo que lo muestre o envíe de nuevo.</translation>
    </message>
    <message>
        <source>This Hive code is incomplete. Copy or scan the whole code.</source>
        <translation>Este código de Hive está incompleto. Copia o escanea el código entero.</translation>
    </message>
    <message>
        <source>This Hive code comes from a newer version of Hive. Update Hive to add this person.</source>
        <translation>Este código de Hive viene de una versión más nueva de Hive. Actualiza Hive para añadir a esta persona.</translation>
    </message>
    <message>
        <source>This Hive code has been altered: its signature does not match. It was not added.</source>
        <translation>Este código de Hive ha sido alterado: su firma no coincide. No se ha añadido.</translation>
    </message>
    <message>
        <source>This Hive code has expired. Ask your friend for a fresh one.</source>
        <translation>Este código de Hive ha caducado. Pide a tu amigo uno nuevo.</translation>
    </message>
    <message>
        <source>This is your own code.</source>
        <translation>Este es tu propio código.</translation>
    </message>
    <message>
        <source>The contact could not be saved: %1</source>
        <translation>No se pudo guardar el contacto: %1</translation>
    </message>
    <message>
        <source>%1 was added.</source>
        <translation>Se ha añadido a %1.</translation>
    </message>
    <message>
        <source>%1 is already a contact; their details were updated.</source>
        <translation>%1 ya es un contacto; se han actualizado sus datos.</translation>
    </message>
    <message>
        <source>This code claims to be %1 but has a different key. Nothing will be sent to %1 until you decide on the People page.</source>
        <translation>Este código dice ser de %1 pero tiene otra clave. No se enviará nada a %1 hasta que decidas en la página «Personas».</translation>
    </message>
    <message>
        <source>The image could not be opened.</source>
        <translation>No se pudo abrir la imagen.</translation>
    </message>
    <message>
        <source>No readable QR code was found in the image.</source>
        <translation>No se encontró ningún código QR legible en la imagen.</translation>
    </message>
    <message>
        <source>This contact no longer exists.</source>
        <translation>Este contacto ya no existe.</translation>
    </message>
    <message>
        <source>The safety number could not be computed.</source>
        <translation>No se pudo calcular el número de seguridad.</translation>
    </message>
    <message>
        <source>The contact could not be marked as verified.</source>
        <translation>No se pudo marcar el contacto como verificado.</translation>
    </message>
    <message>
        <source>The new key could not be accepted: %1</source>
        <translation>No se pudo aceptar la clave nueva: %1</translation>
    </message>
    <message>
        <source>The new key could not be declined.</source>
        <translation>No se pudo rechazar la clave nueva.</translation>
    </message>
</context>
<context>
    <name>hive::messaging::MessagingPlugin</name>
    <message>
        <source>Ready. Chats are end-to-end encrypted.</source>
        <translation>Listo. Los chats están cifrados de extremo a extremo.</translation>
    </message>
    <message>
        <source>Ready. Chats start once your personal node is reachable.</source>
        <translation>Listo. Los chats empiezan en cuanto tu nodo personal esté disponible.</translation>
    </message>
</context>
<context>
    <name>hive::messaging::ui::ChatListModel</name>
    <message>
        <source>Yesterday</source>
        <translation>Ayer</translation>
    </message>
</context>
<context>
    <name>hive::messaging::ui::ConversationModel</name>
    <message>
        <source>Sending</source>
        <translation>Enviando</translation>
    </message>
    <message>
        <source>Sent</source>
        <translation>Enviado</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Entregado</translation>
    </message>
    <message>
        <source>Read</source>
        <translation>Leído</translation>
    </message>
    <message>
        <source>Not sent</source>
        <translation>No enviado</translation>
    </message>
    <message>
        <source>Today</source>
        <translation>Hoy</translation>
    </message>
    <message>
        <source>Yesterday</source>
        <translation>Ayer</translation>
    </message>
</context>
<context>
    <name>hive::messaging::ui::MessagingController</name>
    <message>
        <source>Only files on this device can be sent.</source>
        <translation>Solo se pueden enviar archivos de este dispositivo.</translation>
    </message>
    <message>
        <source>A group needs a name.</source>
        <translation>Un grupo necesita un nombre.</translation>
    </message>
    <message>
        <source>You</source>
        <translation>Tú</translation>
    </message>
</context>
<context>
    <name>hive::presence::PresencePlugin</name>
    <message>
        <source>Ready. Sharing presence arrives in a later release.</source>
        <translation>Listo. Compartir la presencia llegará en una próxima versión.</translation>
    </message>
</context>
<context>
    <name>hive::resources::ResourcesPlugin</name>
    <message>
        <source>Ready. Sharing resources arrives in a later release.</source>
        <translation>Listo. Compartir recursos llegará en una próxima versión.</translation>
    </message>
</context>
</TS>
