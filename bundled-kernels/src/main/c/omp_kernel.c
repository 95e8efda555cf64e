/*
 * The OpenMP kernel of the `nested-openmp` reference workload: a JNI library built by the Maven build with
 * the system gcc (-fopenmp, so it runs on libgomp) and packed into threadgov-kernels.jar.
 *
 * potential(n, seed, sweeps): n particles at pseudo-random positions (fixed by seed); each sweep computes
 * the softened Coulomb potential of every particle, phi[i] = sum_j 1/sqrt(|x_i - x_j|^2 + eps), an O(n^2)
 * compute-bound loop, then moves every particle a little along its potential, so the sweeps depend on each
 * other (time steps). It returns the sum of phi over the last sweep. The nested-openmp kernel uses n = 32,
 * 2048 sweeps: ~5 ms of compute per call, in many short parallel regions.
 *
 * The i loop is a plain `#pragma omp parallel for`: the team size is the calling thread's
 * omp_get_max_threads() (its nthreads-var ICV), so a per-thread omp_set_num_threads() applies. Each phi[i]
 * is summed over j in order by one thread and the final sum is serial, so the result is bitwise the same
 * for every team size.
 */
#include <jni.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <omp.h>

static double next_unit(uint64_t *state) {
    /* splitmix64 -> [0, 1) */
    uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    z ^= z >> 31;
    return (double) (z >> 11) * (1.0 / 9007199254740992.0);
}

JNIEXPORT jdouble JNICALL Java_io_threadgov_kernels_OmpKernel_potential(JNIEnv *env, jclass cls,
                                                                        jint n, jlong seed, jint sweeps) {
    (void) env;
    (void) cls;
    if (n <= 0 || sweeps <= 0) {
        return 0.0;
    }
    double *x = malloc(sizeof(double) * (size_t) n);
    double *y = malloc(sizeof(double) * (size_t) n);
    double *z = malloc(sizeof(double) * (size_t) n);
    double *phi = malloc(sizeof(double) * (size_t) n);
    if (!x || !y || !z || !phi) {
        free(x); free(y); free(z); free(phi);
        return NAN;
    }
    uint64_t state = (uint64_t) seed;
    for (int i = 0; i < n; i++) {
        x[i] = next_unit(&state);
        y[i] = next_unit(&state);
        z[i] = next_unit(&state);
    }
    const double eps = 1e-3;
    double total = 0.0;
    for (int s = 0; s < sweeps; s++) {
#pragma omp parallel for schedule(static)
        for (int i = 0; i < n; i++) {
            const double xi = x[i], yi = y[i], zi = z[i];
            double acc = 0.0;
            for (int j = 0; j < n; j++) {
                const double dx = xi - x[j], dy = yi - y[j], dz = zi - z[j];
                acc += 1.0 / sqrt(dx * dx + dy * dy + dz * dz + eps);
            }
            phi[i] = acc;
        }
        total = 0.0;
        for (int i = 0; i < n; i++) {
            total += phi[i];
            const double step = 1e-6 * phi[i];
            x[i] += step;
            y[i] -= step;
            z[i] += 0.5 * step;
        }
    }
    free(x); free(y); free(z); free(phi);
    return total;
}

JNIEXPORT jint JNICALL Java_io_threadgov_kernels_OmpKernel_maxThreads(JNIEnv *env, jclass cls) {
    (void) env;
    (void) cls;
    return omp_get_max_threads();
}
