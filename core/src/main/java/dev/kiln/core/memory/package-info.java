/**
 * Native memory for the large buffers that check, restore and the stores reuse object after object: not zeroed,
 * and in transparent huge pages where the system offers them. Knows nothing of packs, stores or keys.
 */
package dev.kiln.core.memory;
