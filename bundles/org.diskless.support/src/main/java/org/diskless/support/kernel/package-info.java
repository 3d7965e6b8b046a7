/**
 * The kernel command line of a diskless node, written once for every bundle that writes or checks
 * it: the pxelinux and iPXE loaders put it in the configs they generate, the NFS-root hints show
 * it and check its length. {@link org.diskless.support.kernel.KernelCommandLine} holds the rules
 * (which root, {@code ip=}, the RAM disk's size, the operator's own arguments);
 * {@link org.diskless.support.kernel.NetworkValues} is where a loader's values come from, literal
 * or expanded by the loader when it runs; {@link org.diskless.support.kernel.RamDiskImage} measures
 * the image a RAM-disk root is made from.
 */
package org.diskless.support.kernel;
