package dev.ferry.gpu;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jcuda.CudaException;
import jcuda.Pointer;
import jcuda.runtime.JCuda;
import jcuda.runtime.cudaDeviceProp;
import jcuda.runtime.cudaError;

/**
 * The only class that touches JCuda, so that a missing jar or native library surfaces as a {@link LinkageError}
 * where {@link Gpu} catches it. Uses the CUDA runtime API with JCuda's exceptions as the caller left them (off by
 * default): every call's return code is checked, and a {@link CudaException} is handled the same way.
 */
final class CudaProbe {

    private CudaProbe() {
    }

    static GpuInventory query() {
        int runtimeVersion = intCall(JCuda::cudaRuntimeGetVersion);
        int driverVersion = intCall(JCuda::cudaDriverGetVersion);
        int[] count = {0};
        int rc;
        try {
            rc = JCuda.cudaGetDeviceCount(count);
        } catch (CudaException e) {
            rc = codeOf(e);
        }
        if (rc != cudaError.cudaSuccess) {
            return new GpuInventory(List.of(), reasonFor(rc, driverVersion, runtimeVersion), driverVersion, runtimeVersion);
        }
        if (count[0] == 0) {
            return new GpuInventory(List.of(), "no CUDA device" + visibleDevicesNote(), driverVersion, runtimeVersion);
        }
        List<DeviceInfo> devices = new ArrayList<>();
        for (int i = 0; i < count[0]; i++) {
            cudaDeviceProp p = new cudaDeviceProp();
            int prc;
            try {
                prc = JCuda.cudaGetDeviceProperties(p, i);
            } catch (CudaException e) {
                prc = codeOf(e);
            }
            if (prc != cudaError.cudaSuccess) {
                devices.add(new DeviceInfo(i, "CUDA device " + i + " (properties unavailable: " + errorName(prc) + ")",
                        0, 0, 0, "", ""));
                continue;
            }
            devices.add(new DeviceInfo(i, p.getName().trim(), p.totalGlobalMem, p.major, p.minor, uuid(p),
                    String.format(Locale.ROOT, "%04x:%02x:%02x.0", p.pciDomainID, p.pciBusID, p.pciDeviceID)));
        }
        return new GpuInventory(devices, "", driverVersion, runtimeVersion);
    }

    /**
     * Uses a device for real: selects it, reads free memory, allocates, clears and frees 64 MiB.
     *
     * @return "free 78.9 of 79.1 GiB, 64 MiB allocated, cleared and freed"
     * @throws IllegalStateException naming the failing call
     */
    static String exercise(int index) {
        check(JCuda.cudaSetDevice(index), "cudaSetDevice(" + index + ")");
        long[] free = {0};
        long[] total = {0};
        check(JCuda.cudaMemGetInfo(free, total), "cudaMemGetInfo");
        Pointer p = new Pointer();
        long bytes = 64L << 20;
        check(JCuda.cudaMalloc(p, bytes), "cudaMalloc(64 MiB)");
        try {
            check(JCuda.cudaMemset(p, 0, bytes), "cudaMemset");
            check(JCuda.cudaDeviceSynchronize(), "cudaDeviceSynchronize");
        } finally {
            check(JCuda.cudaFree(p), "cudaFree");
        }
        return String.format(Locale.ROOT, "free %.1f of %.1f GiB, 64 MiB allocated, cleared and freed",
                free[0] / (double) (1L << 30), total[0] / (double) (1L << 30));
    }

    private static void check(int rc, String call) {
        if (rc != cudaError.cudaSuccess) throw new IllegalStateException(call + " failed: " + errorName(rc));
    }

    private interface IntOut {
        int call(int[] out);
    }

    private static int intCall(IntOut f) {
        int[] v = {0};
        try {
            return f.call(v) == cudaError.cudaSuccess ? v[0] : 0;
        } catch (CudaException e) {
            return 0;
        }
    }

    private static int codeOf(CudaException e) {
        String m = String.valueOf(e.getMessage());
        for (int code = 0; code < 1000; code++) {
            String name = cudaError.stringFor(code);
            if (name != null && !name.startsWith("INVALID") && m.startsWith(name)) return code;
        }
        return cudaError.cudaErrorUnknown;
    }

    static String errorName(int rc) {
        String s = cudaError.stringFor(rc);
        return s == null || s.startsWith("INVALID") ? "CUDA error " + rc : s;
    }

    static String reasonFor(int rc, int driverVersion, int runtimeVersion) {
        String name = errorName(rc);
        if (rc == cudaError.cudaErrorInsufficientDriver) {
            if (driverVersion <= 0) return "no NVIDIA driver (" + name + ")";
            return "the NVIDIA driver supports CUDA " + GpuInventory.versionText(driverVersion)
                    + " but this CUDA runtime needs " + (runtimeVersion > 0 ? GpuInventory.versionText(runtimeVersion) : "a newer one")
                    + " (" + name + ")";
        }
        if (rc == cudaError.cudaErrorNoDevice) return "no CUDA device (" + name + ")" + visibleDevicesNote();
        return "the CUDA runtime failed: " + name;
    }

    private static String visibleDevicesNote() {
        String v = dev.ferry.spi.FerryEnv.current().env("CUDA_VISIBLE_DEVICES");
        return v == null ? "" : "; CUDA_VISIBLE_DEVICES='" + v + "'";
    }

    private static String uuid(cudaDeviceProp p) {
        if (p.uuid == null || p.uuid.bytes == null || p.uuid.bytes.length != 16) return "";
        byte[] b = p.uuid.bytes;
        boolean allZero = true;
        for (byte x : b) allZero &= x == 0;
        if (allZero) return "";
        StringBuilder sb = new StringBuilder("GPU-");
        for (int i = 0; i < 16; i++) {
            if (i == 4 || i == 6 || i == 8 || i == 10) sb.append('-');
            sb.append(String.format(Locale.ROOT, "%02x", b[i] & 0xff));
        }
        return sb.toString();
    }
}
