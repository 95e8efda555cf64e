/**
 * The native layer: finds the BLAS and OpenMP runtimes the process has loaded and runs each thread at its
 * share. The only package that references JNA; the agent loads it through an isolating class loader
 * and reaches it through {@link io.threadgov.governor.NativeControl} (and, for
 * {@code io.threadgov.ThreadGov.limit}, as a {@code BiFunction}).
 *
 * <ul>
 * <li>{@link io.threadgov.governor.natives.MappedLibraries}: {@code /proc/self/maps}, pure Java.</li>
 * <li>{@code RuntimeKind}: the families, their file-name prefixes and APIs (threadpoolctl's).</li>
 * <li>{@code NativeLib}: a mapped file opened with {@code RTLD_NOLOAD}; symbols of the file itself.</li>
 * <li>{@code NativeRuntime} and its controllers ({@code OpenBlasRuntime}, {@code BlisRuntime},
 *     {@code MklRuntime}, {@code FlexiBlasRuntime}, {@code OpenMpRuntime}); {@code Direct}: JNA direct
 *     mapping of the getter and setter used on a limit's path.</li>
 * <li>{@link io.threadgov.governor.natives.NativeGovernor}: the layer's facade, what the governor and
 *     {@code ThreadGov} call; {@code RuntimeDiscovery}: finding runtimes as libraries load, and the C
 *     environment before the first BLAS; {@code NativePolicy}: the per-thread and busy-driven process-wide
 *     policy and its safety rules; {@code ScopedLimits}: {@code ThreadGov.limit}; {@code ThreadValues}: the
 *     per-thread cache; {@code GovernorView}: what the layer reads from the governor (none standalone).</li>
 * </ul>
 */
package io.threadgov.governor.natives;
