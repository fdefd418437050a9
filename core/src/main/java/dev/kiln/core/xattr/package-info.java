/**
 * Extended attributes (all namespaces, including POSIX ACLs stored as {@code system.posix_acl_*}), read and written
 * without following symlinks, through the Foreign Function &amp; Memory API (ADR 0004). Depends only on {@code dev.kiln.core.fsname}.
 */
package dev.kiln.core.xattr;
