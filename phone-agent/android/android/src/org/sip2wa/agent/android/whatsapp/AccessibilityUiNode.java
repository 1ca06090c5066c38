package org.sip2wa.agent.android.whatsapp;

import android.view.accessibility.AccessibilityNodeInfo;

import java.util.ArrayList;
import java.util.List;

/** A {@link UiNode} over the framework's AccessibilityNodeInfo. */
final class AccessibilityUiNode implements UiNode {
    private final AccessibilityNodeInfo node;

    private AccessibilityUiNode(AccessibilityNodeInfo node) {
        this.node = node;
    }

    static UiNode wrap(AccessibilityNodeInfo node) {
        return node == null ? null : new AccessibilityUiNode(node);
    }

    @Override
    public CharSequence contentDescription() {
        return node.getContentDescription();
    }

    @Override
    public CharSequence text() {
        return node.getText();
    }

    @Override
    public CharSequence packageName() {
        return node.getPackageName();
    }

    @Override
    public int childCount() {
        return node.getChildCount();
    }

    @Override
    public UiNode child(int index) {
        return wrap(node.getChild(index));
    }

    @Override
    public UiNode parent() {
        return wrap(node.getParent());
    }

    @Override
    public boolean clickable() {
        return node.isClickable();
    }

    @Override
    public boolean click() {
        return node.performAction(AccessibilityNodeInfo.ACTION_CLICK);
    }

    @Override
    public List<UiNode> findByViewId(String viewId) {
        List<UiNode> out = new ArrayList<UiNode>();
        List<AccessibilityNodeInfo> hits = node.findAccessibilityNodeInfosByViewId(viewId);
        if (hits != null) {
            for (AccessibilityNodeInfo h : hits) out.add(new AccessibilityUiNode(h));
        }
        return out;
    }
}
