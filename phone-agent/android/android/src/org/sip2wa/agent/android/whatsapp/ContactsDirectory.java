package org.sip2wa.agent.android.whatsapp;

import android.content.ContentResolver;
import android.content.ContentUris;
import android.content.ContentValues;
import android.database.Cursor;
import android.net.Uri;

/**
 * The phone's contacts provider, as shell: the agent adds a contact for a number it must call (WhatsApp
 * only offers a call intent for its own contact rows), finds the voice-call row WhatsApp's sync adds for
 * it, and maps a caller's name back to a number. The agent's raw contacts carry a source id beginning with
 * {@link #TAG}, so they can all be removed when the agent stops and never mix with the owner's contacts.
 */
public final class ContactsDirectory {
    static final String TAG = "sip2wa-agent:";
    static final String VOIP_CALL_MIME = "vnd.android.cursor.item/vnd.com.whatsapp.voip.call";
    private static final String PHONE_MIME = "vnd.android.cursor.item/phone_v2";
    private static final String NAME_MIME = "vnd.android.cursor.item/name";
    private static final String AUTHORITY = "content://com.android.contacts/";
    private static final Uri RAW_CONTACTS = Uri.parse(AUTHORITY + "raw_contacts");
    private static final Uri DATA = Uri.parse(AUTHORITY + "data");
    /** As the sync adapter, a delete removes the rows at once instead of marking them deleted. */
    private static final Uri RAW_CONTACTS_PURGE = Uri.parse(AUTHORITY + "raw_contacts?caller_is_syncadapter=true");
    private static final int PHONE_TYPE_MOBILE = 2;

    private final ContentResolver resolver;

    public ContactsDirectory(ContentResolver resolver) {
        this.resolver = resolver;
    }

    /** Makes sure a contact with this number exists (one tagged raw contact per number). */
    public void ensureContact(String digits) {
        String tag = TAG + digits;
        if (firstLong(RAW_CONTACTS, "_id", "sourceid=? AND deleted=0", new String[] {tag}) >= 0) return;
        ContentValues raw = new ContentValues();
        raw.put("account_type", (String) null);
        raw.put("account_name", (String) null);
        raw.put("sourceid", tag);
        Uri rawUri = resolver.insert(RAW_CONTACTS, raw);
        if (rawUri == null) throw new IllegalStateException("the contacts provider refused a new contact");
        long id = ContentUris.parseId(rawUri);
        insertData(id, NAME_MIME, "sip2wa " + PhoneNumbers.toDialable(digits), null);
        insertData(id, PHONE_MIME, PhoneNumbers.toDialable(digits), Integer.valueOf(PHONE_TYPE_MOBILE));
    }

    /** The _id of WhatsApp's voice-call data row for the number, or -1 while WhatsApp has not synced it. */
    public long voipCallRow(String digits) {
        return firstLong(DATA, "_id", "mimetype=? AND data1=?", new String[] {VOIP_CALL_MIME, digits + "@s.whatsapp.net"});
    }

    /** The number of the contact with this display name, or null. */
    public String numberForName(String name) {
        Cursor c = resolver.query(DATA, new String[] {"data1"}, "mimetype=? AND display_name=?",
                new String[] {PHONE_MIME, name}, null);
        if (c == null) return null;
        try {
            while (c.moveToNext()) {
                String n = PhoneNumbers.normalise(c.getString(0));
                if (n != null) return n;
            }
            return null;
        } finally {
            c.close();
        }
    }

    /** Removes every contact the agent added; returns how many raw contacts went. */
    public int removeTagged() {
        return resolver.delete(RAW_CONTACTS_PURGE, "sourceid LIKE ?", new String[] {TAG + "%"});
    }

    private void insertData(long rawId, String mime, String data1, Integer data2) {
        ContentValues v = new ContentValues();
        v.put("raw_contact_id", Long.valueOf(rawId));
        v.put("mimetype", mime);
        v.put("data1", data1);
        if (data2 != null) v.put("data2", data2);
        if (resolver.insert(DATA, v) == null) throw new IllegalStateException("the contacts provider refused a " + mime + " row");
    }

    private long firstLong(Uri uri, String column, String selection, String[] args) {
        Cursor c = resolver.query(uri, new String[] {column}, selection, args, null);
        if (c == null) throw new IllegalStateException("the contacts provider did not answer a query");
        try {
            return c.moveToNext() ? c.getLong(0) : -1;
        } finally {
            c.close();
        }
    }
}
