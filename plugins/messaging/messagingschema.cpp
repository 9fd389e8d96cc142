#include "messagingschema.h"

#include "vault/vault.h"

#include <array>

namespace hive::messaging {

namespace {

// Version 2: libsignal's stores (one row per record, as libsignal serialises it), chats,
// their members and the message history. Messages are unique per (sender, uid) so a
// redelivered message is stored once.
constexpr std::string_view SignalAndChats = R"sql(
CREATE TABLE msg_identities (name TEXT PRIMARY KEY NOT NULL, key BLOB NOT NULL) WITHOUT ROWID;
CREATE TABLE msg_sessions (name TEXT NOT NULL, device INTEGER NOT NULL, record BLOB NOT NULL,
                           PRIMARY KEY (name, device)) WITHOUT ROWID;
CREATE TABLE msg_prekeys (id INTEGER PRIMARY KEY NOT NULL, record BLOB NOT NULL);
CREATE TABLE msg_signed_prekeys (id INTEGER PRIMARY KEY NOT NULL, record BLOB NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE msg_sender_keys (group_id TEXT NOT NULL, name TEXT NOT NULL, device INTEGER NOT NULL,
                              record BLOB NOT NULL, PRIMARY KEY (group_id, name, device)) WITHOUT ROWID;
CREATE TABLE msg_chats (id INTEGER PRIMARY KEY AUTOINCREMENT, contact_key BLOB UNIQUE, group_id BLOB UNIQUE,
                        title TEXT NOT NULL, disappear_seconds INTEGER NOT NULL DEFAULT 0,
                        last_activity INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL);
CREATE TABLE msg_members (chat_id INTEGER NOT NULL REFERENCES msg_chats(id) ON DELETE CASCADE,
                          member_key BLOB NOT NULL, has_our_key INTEGER NOT NULL DEFAULT 0,
                          PRIMARY KEY (chat_id, member_key)) WITHOUT ROWID;
CREATE TABLE msg_messages (id INTEGER PRIMARY KEY AUTOINCREMENT,
                           chat_id INTEGER NOT NULL REFERENCES msg_chats(id) ON DELETE CASCADE,
                           uid BLOB NOT NULL, sender_key BLOB NOT NULL, outgoing INTEGER NOT NULL,
                           kind INTEGER NOT NULL, text TEXT NOT NULL, sent_at INTEGER NOT NULL,
                           received_at INTEGER NOT NULL, state INTEGER NOT NULL, is_read INTEGER NOT NULL,
                           attachment BLOB, expires_at INTEGER NOT NULL DEFAULT 0,
                           UNIQUE (sender_key, uid));
CREATE INDEX msg_messages_order ON msg_messages (chat_id, sent_at, uid);
CREATE INDEX msg_messages_expiry ON msg_messages (expires_at) WHERE expires_at > 0;
)sql";

// Version 3: a chat we were removed from keeps its member list (so those members can add
// us back) but is marked left: nothing is sent to it or accepted from it but updates.
constexpr std::string_view LeftGroups = "ALTER TABLE msg_chats ADD COLUMN left_group INTEGER NOT NULL DEFAULT 0;";

// Version 4: where a received attachment was saved and how much of it is there.
constexpr std::string_view AttachmentFiles = R"sql(
ALTER TABLE msg_messages ADD COLUMN local_path TEXT;
ALTER TABLE msg_messages ADD COLUMN transferred INTEGER NOT NULL DEFAULT 0;
)sql";

// Version 5: full-text search. An external-content FTS4 table over msg_messages.text
// (unicode61: case and accents folded), kept in step by triggers so every path that adds,
// edits or deletes a message (expiry, a deleted chat's cascade) updates it. Deleting from
// an external-content FTS4 table reads the row's old text, hence BEFORE triggers. Back-filled
// from the existing history by 'rebuild'.
constexpr std::string_view FullTextSearch = R"sql(
CREATE VIRTUAL TABLE msg_fts USING fts4(content="msg_messages", text, tokenize=unicode61);
CREATE TRIGGER msg_fts_insert AFTER INSERT ON msg_messages BEGIN
  INSERT INTO msg_fts (docid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER msg_fts_delete BEFORE DELETE ON msg_messages BEGIN
  DELETE FROM msg_fts WHERE docid = old.id;
END;
CREATE TRIGGER msg_fts_update_before BEFORE UPDATE OF text ON msg_messages BEGIN
  DELETE FROM msg_fts WHERE docid = old.id;
END;
CREATE TRIGGER msg_fts_update_after AFTER UPDATE OF text ON msg_messages BEGIN
  INSERT INTO msg_fts (docid, text) VALUES (new.id, new.text);
END;
INSERT INTO msg_fts (msg_fts) VALUES ('rebuild');
)sql";

// Version 6: Signal bodies from a contact whose key is changing, held (in arrival order)
// until the user accepts or declines the new key.
constexpr std::string_view HeldBodies = R"sql(
CREATE TABLE msg_held (id INTEGER PRIMARY KEY AUTOINCREMENT, contact_id INTEGER NOT NULL,
                       pinned_key BLOB NOT NULL, offered_key BLOB NOT NULL,
                       body BLOB NOT NULL, received_at INTEGER NOT NULL);
CREATE INDEX msg_held_contact ON msg_held (contact_id, id);
)sql";

} // namespace

std::span<const core::Migration> messagingSchema()
{
    static const std::array<core::Migration, 6> steps{{
        {1, "CREATE TABLE messaging_settings (key TEXT PRIMARY KEY NOT NULL, value BLOB NOT NULL) WITHOUT ROWID;", {}},
        {2, SignalAndChats, {}},
        {3, LeftGroups, {}},
        {4, AttachmentFiles, {}},
        {5, FullTextSearch, {}},
        {6, HeldBodies, {}},
    }};
    return steps;
}

} // namespace hive::messaging
