/**
 * Concrete stores and the one place where a repository location becomes a store stack ({@link dev.kiln.stores.Stores}).
 */
package dev.kiln.stores;
