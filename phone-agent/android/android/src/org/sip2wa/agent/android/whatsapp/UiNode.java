package org.sip2wa.agent.android.whatsapp;

import java.util.List;

/**
 * One node of a window's accessibility tree, as {@link UiDriver} needs it. On a phone it wraps an
 * AccessibilityNodeInfo ({@link AccessibilityUiNode}); on the host, tests build trees of their own, so
 * the driver's choice of button is tested without a phone.
 */
public interface UiNode {
    CharSequence contentDescription();

    CharSequence text();

    CharSequence packageName();

    int childCount();

    /** The child, or null when it vanished meanwhile. */
    UiNode child(int index);

    UiNode parent();

    boolean clickable();

    /** Performs ACTION_CLICK; false when the node refused it. */
    boolean click();

    /** The nodes of this tree with the view id ("com.whatsapp:id/end_call_btn"). */
    List<UiNode> findByViewId(String viewId);
}
