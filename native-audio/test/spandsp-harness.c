/*
 * Test-only reference: runs spandsp's G.722 and G.711 on data from stdin so the TypeScript codecs can be
 * compared with it code for code and sample for sample. Built on demand by spandsp.ts; never shipped.
 *
 * stdin: one ASCII header line, then raw little-endian data until EOF.
 *   "g722-encode <rate>\n"  + int16 samples at 16 kHz -> stdout: one byte per code (options 0: not packed)
 *   "g722-decode <rate>\n"  + codes, one per byte      -> stdout: int16 samples at 16 kHz
 *   "alaw-encode\n" / "ulaw-encode\n" + int16 samples  -> stdout: one byte per sample
 *   "alaw-decode\n" / "ulaw-decode\n" + bytes          -> stdout: int16 samples
 *   "g722-time <seconds>\n"                            -> stdout: "<elapsed ns>\n" for encoding then
 *       decoding <seconds> of a 16 kHz test signal at 64 kbit/s, 20 ms frames (the bench's reference).
 * <rate> is 64000, 56000 or 48000. Exit status 2 with a message on stderr for a malformed header.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <time.h>
#include <spandsp.h>

static uint8_t *read_all(size_t *len)
{
    size_t cap = 1 << 16;
    uint8_t *buf = malloc(cap);
    *len = 0;
    for (;;)
    {
        if (*len == cap)
            buf = realloc(buf, cap *= 2);
        size_t n = fread(buf + *len, 1, cap - *len, stdin);
        if (n == 0)
            break;
        *len += n;
    }
    return buf;
}

static int valid_rate(int rate)
{
    return rate == 64000 || rate == 56000 || rate == 48000;
}

static int64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Encode then decode a swept tone in 320-sample frames, as the station does per 20 ms tick. */
static int time_g722(double seconds)
{
    size_t samples = (size_t) (seconds * 16000.0) / 320 * 320;
    int16_t *pcm = malloc(samples * sizeof(int16_t));
    int16_t *out = malloc(samples * sizeof(int16_t));
    uint8_t *codes = malloc(samples / 2);
    double phase = 0.0;
    for (size_t i = 0; i < samples; i++)
    {
        double f = 100.0 + 7000.0 * (double) i / (double) samples;
        phase += 2.0 * M_PI * f / 16000.0;
        pcm[i] = (int16_t) (12000.0 * sin(phase));
    }
    g722_encode_state_t *enc = g722_encode_init(NULL, 64000, 0);
    g722_decode_state_t *dec = g722_decode_init(NULL, 64000, 0);
    int64_t start = now_ns();
    for (size_t i = 0; i < samples; i += 320)
    {
        g722_encode(enc, codes + i / 2, pcm + i, 320);
        g722_decode(dec, out + i, codes + i / 2, 160);
    }
    int64_t elapsed = now_ns() - start;
    /* Print a checksum so the compiler cannot drop the work. */
    long sum = 0;
    for (size_t i = 0; i < samples; i++)
        sum += out[i];
    printf("%lld %ld\n", (long long) elapsed, sum);
    return 0;
}

int main(void)
{
    char header[64];
    char mode[32];
    double arg = 0;
    if (fgets(header, sizeof(header), stdin) == NULL || sscanf(header, "%31s %lf", mode, &arg) < 1)
    {
        fprintf(stderr, "spandsp-harness: expected a header line such as 'g722-encode 64000'\n");
        return 2;
    }
    if (strcmp(mode, "g722-time") == 0)
        return time_g722(arg > 0 ? arg : 10.0);

    size_t len;
    uint8_t *in = read_all(&len);
    if (strcmp(mode, "g722-encode") == 0 || strcmp(mode, "g722-decode") == 0)
    {
        int rate = (int) arg;
        if (!valid_rate(rate))
        {
            fprintf(stderr, "spandsp-harness: G.722 rate %d is not 64000, 56000 or 48000\n", rate);
            return 2;
        }
        if (mode[5] == 'e')
        {
            size_t samples = len / 2;
            uint8_t *codes = malloc(samples / 2 + 1);
            g722_encode_state_t *enc = g722_encode_init(NULL, rate, 0);
            int n = g722_encode(enc, codes, (const int16_t *) in, (int) samples);
            fwrite(codes, 1, (size_t) n, stdout);
        }
        else
        {
            int16_t *pcm = malloc(len * 2 * sizeof(int16_t) + 2);
            g722_decode_state_t *dec = g722_decode_init(NULL, rate, 0);
            int n = g722_decode(dec, pcm, in, (int) len);
            fwrite(pcm, sizeof(int16_t), (size_t) n, stdout);
        }
        return 0;
    }
    int alaw = strncmp(mode, "alaw", 4) == 0;
    if (strcmp(mode + 4, "-encode") == 0 && (alaw || strncmp(mode, "ulaw", 4) == 0))
    {
        const int16_t *pcm = (const int16_t *) in;
        for (size_t i = 0; i < len / 2; i++)
            putchar(alaw ? linear_to_alaw(pcm[i]) : linear_to_ulaw(pcm[i]));
        return 0;
    }
    if (strcmp(mode + 4, "-decode") == 0 && (alaw || strncmp(mode, "ulaw", 4) == 0))
    {
        for (size_t i = 0; i < len; i++)
        {
            int16_t s = alaw ? alaw_to_linear(in[i]) : ulaw_to_linear(in[i]);
            fwrite(&s, sizeof(s), 1, stdout);
        }
        return 0;
    }
    fprintf(stderr, "spandsp-harness: unknown mode '%s'\n", mode);
    return 2;
}
