package android.content;

/** Compile-only stub of the public API (API 31; see stubs/README.md). */
public final class AttributionSource {
    private AttributionSource() { throw new RuntimeException("Stub!"); }

    public static final class Builder {
        public Builder(int uid) { throw new RuntimeException("Stub!"); }

        public Builder setPackageName(String packageName) { throw new RuntimeException("Stub!"); }

        public AttributionSource build() { throw new RuntimeException("Stub!"); }
    }
}
