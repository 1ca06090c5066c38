package org.sip2wa.agent.android.whatsapp;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.Test;

/** Which node the driver presses on screens built as WhatsApp's look (ids and labels of the 2.24 table). */
public class UiDriverTest {
    /** A node of a fake window; records clicks. */
    static final class Node implements UiNode {
        final String description;
        final String text;
        final String viewId;
        final boolean clickable;
        final List<Node> children = new ArrayList<Node>();
        Node parent;
        String pkg = "com.whatsapp";
        int clicks;

        Node(String description, String text, String viewId, boolean clickable, Node... kids) {
            this.description = description;
            this.text = text;
            this.viewId = viewId;
            this.clickable = clickable;
            for (Node k : kids) {
                k.parent = this;
                children.add(k);
            }
        }

        @Override
        public CharSequence contentDescription() {
            return description;
        }

        @Override
        public CharSequence text() {
            return text;
        }

        @Override
        public CharSequence packageName() {
            return pkg;
        }

        @Override
        public int childCount() {
            return children.size();
        }

        @Override
        public UiNode child(int index) {
            return children.get(index);
        }

        @Override
        public UiNode parent() {
            return parent;
        }

        @Override
        public boolean clickable() {
            return clickable;
        }

        @Override
        public boolean click() {
            clicks++;
            return true;
        }

        @Override
        public List<UiNode> findByViewId(String id) {
            List<UiNode> out = new ArrayList<UiNode>();
            if (id.equals(viewId)) out.add(this);
            for (Node c : children) out.addAll(c.findByViewId(id));
            return out;
        }
    }

    private final List<Integer> keys = new ArrayList<Integer>();

    private UiDriver driver(final Node... roots) {
        return new UiDriver(new UiDriver.Screen() {
            @Override
            public List<UiNode> roots() {
                return new ArrayList<UiNode>(Arrays.asList(roots));
            }
        }, new UiDriver.Keys() {
            @Override
            public boolean press(int keyCode) {
                keys.add(Integer.valueOf(keyCode));
                return true;
            }
        }, "2.24.25.78");
    }

    @Test
    public void aLabelIsPreferredToAViewIdAndItsClickableParentIsPressed() {
        Node byId = new Node(null, null, "com.whatsapp:id/end_call_button", true);
        Node icon = new Node("End call", null, null, false);
        Node button = new Node(null, null, null, true, icon);
        Node root = new Node(null, null, null, false, byId, button);
        assertEquals("description 'End call'", driver(root).press(UiAction.END_CALL));
        assertEquals(1, button.clicks);
        assertEquals(0, byId.clicks);
        assertEquals(0, icon.clicks);
    }

    @Test
    public void withoutALabelTheViewIdOfThisVersionsEntryIsPressed() {
        Node old = new Node(null, null, "com.whatsapp:id/end_call_btn", true);
        Node current = new Node(null, null, "com.whatsapp:id/end_call_button", true);
        assertEquals("view id com.whatsapp:id/end_call_button", driver(new Node(null, null, null, false, old, current)).press(UiAction.END_CALL));
        assertEquals(1, current.clicks);
        assertEquals(0, old.clicks);
    }

    @Test
    public void aHeadsUpNotificationsAnswerActionInAnotherWindowIsFoundByItsText() {
        Node app = new Node(null, "Chats", null, false);
        Node answer = new Node(null, "Answer", null, true);
        Node systemUi = new Node(null, null, null, false, new Node(null, "Decline", null, true), answer);
        systemUi.pkg = "com.android.systemui";
        assertEquals("description 'Answer'", driver(app, systemUi).press(UiAction.ANSWER));
        assertEquals(1, answer.clicks);
    }

    @Test
    public void nothingOnScreenFallsBackToTheKeyWhereOneExists() {
        Node empty = new Node(null, "Chats", null, false);
        assertEquals("key " + SelectorTable.KEYCODE_HEADSETHOOK, driver(empty).press(UiAction.END_CALL));
        assertEquals(Arrays.asList(Integer.valueOf(SelectorTable.KEYCODE_HEADSETHOOK)), keys);
        assertNull(driver(empty).press(UiAction.DECLINE));
        assertEquals(1, keys.size());
    }

    @Test
    public void theStatusTextIsReadFromWhatsAppsWindowOnly() {
        Node other = new Node(null, "Ringing", null, false);
        other.pkg = "com.android.systemui";
        Node call = new Node(null, null, null, false, new Node(null, "Alice", null, false), new Node(null, "0:07", null, false));
        assertEquals("0:07", driver(other, call).statusText());
        assertEquals("", driver(other).statusText());
    }

    @Test
    public void theCallerIsTheIncomingScreensTextThatIsNoLabel() {
        Node screen = new Node(null, null, null, false, new Node(null, "WhatsApp voice call", null, false),
                new Node(null, "Alice Example", null, false), new Node("Decline", "Decline", null, true),
                new Node(null, "Swipe up to accept", null, true));
        assertEquals("Alice Example", driver(screen).callerText());
        assertEquals("", driver(new Node(null, "Ringing", null, false)).callerText());
    }
}
