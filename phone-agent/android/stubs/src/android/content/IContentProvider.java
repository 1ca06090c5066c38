package android.content;

/**
 * Compile-only stub of a HIDDEN interface: the glue never calls it, it only names it as the return type
 * of ContentResolver's hidden acquireProvider callbacks, which the glue overrides (see stubs/README.md).
 */
public interface IContentProvider {
}
