/**
 * File names and paths as the bytes the file system holds, through public JDK API (ADR 0002).
 * Depends on nothing else in kiln.
 */
package dev.kiln.core.fsname;
