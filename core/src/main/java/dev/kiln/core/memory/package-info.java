/**
 * Native memory for the large buffers that check reuses object after object (its pack and scratch buffers): not
 * zeroed, and in transparent huge pages where the system offers them. Knows nothing of packs, stores or keys.
 */
package dev.kiln.core.memory;
