import tls from 'node:tls';

/**
 * Certificates for TLS on 127.0.0.1 in tests (a Chatwoot moved to https, a Graph API whose
 * certificate is refused), self-signed for IP:127.0.0.1 and test-only: made with OpenSSL 3.0,
 * `openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 36500
 * -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1`; the expired one with `openssl ca
 * -selfsign -startdate 20200101000000Z -enddate 20210101000000Z` on the same subject.
 */
export const LOOPBACK_TLS = {
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgC+IC+ylxFRc5EzPQ
VtjP0dJypibiDITE5hl9uHiLUSGhRANCAAT0fMwOBmeIDdRDVf4gN76tSC+bO5GA
4dSLgzpsyXpXuf4NZpQF7HtX7Ka84VDIFpwH6OQ4jP7Am8f1q886wzdy
-----END PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBkTCCATagAwIBAgIUHcoLnzFPouSsgXSLcntvAbWH0hkwCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJMTI3LjAuMC4xMCAXDTI2MTIwNjE2NTUyNFoYDzIxMjYxMTEy
MTY1NTI0WjAUMRIwEAYDVQQDDAkxMjcuMC4wLjEwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAT0fMwOBmeIDdRDVf4gN76tSC+bO5GA4dSLgzpsyXpXuf4NZpQF7HtX
7Ka84VDIFpwH6OQ4jP7Am8f1q886wzdyo2QwYjAdBgNVHQ4EFgQUI9Ro6yWIhQRI
zeXi1iBDPOnwwvgwHwYDVR0jBBgwFoAUI9Ro6yWIhQRIzeXi1iBDPOnwwvgwDwYD
VR0TAQH/BAUwAwEB/zAPBgNVHREECDAGhwR/AAABMAoGCCqGSM49BAMCA0kAMEYC
IQC1V3qo/tmXrtHB0MvH6NZGqkhEPGfbJwWmoU4LtC86XQIhAJa6dRIoFtVXWGGX
6vYiaH/uuxz6vtfvZjYxVpeI1i6j
-----END CERTIFICATE-----
`,
};

/** Valid 2020 to 2021 only: refused as CERT_HAS_EXPIRED once trusted. */
export const EXPIRED_LOOPBACK_TLS = {
  key: `-----BEGIN EC PRIVATE KEY-----
MHcCAQEEIIRDFQ182AT25rYRGUHdvZ31ttOnp7lvZ6lRCiCFE6anoAoGCCqGSM49
AwEHoUQDQgAE92JxFWl1NvvW9oeowlUzCNPh4TkjyC7r/PpaPSt3ADYNqwX6yKxp
Cdl/0rdWyzJUKC5Wv7d3hHvSAv+WbqWzHA==
-----END EC PRIVATE KEY-----
`,
  cert: `-----BEGIN CERTIFICATE-----
MIIBWzCCAQGgAwIBAgICEAAwCgYIKoZIzj0EAwIwFDESMBAGA1UEAwwJMTI3LjAu
MC4xMB4XDTIwMDEwMTAwMDAwMFoXDTIxMDEwMTAwMDAwMFowFDESMBAGA1UEAwwJ
MTI3LjAuMC4xMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE92JxFWl1NvvW9oeo
wlUzCNPh4TkjyC7r/PpaPSt3ADYNqwX6yKxpCdl/0rdWyzJUKC5Wv7d3hHvSAv+W
bqWzHKNDMEEwDwYDVR0RBAgwBocEfwAAATAPBgNVHRMBAf8EBTADAQH/MB0GA1Ud
DgQWBBSmruk7fuUdem0AkNQFFANjwlLOLjAKBggqhkjOPQQDAgNIADBFAiAcROYl
HF9qdSUaqMD9NlAoQgIyAZGxAQ9qoGGPmlGcPgIhAKK0MXAhIPfKnTsl8a26xGCe
58MatHfnm5sJPwBCXUOU
-----END CERTIFICATE-----
`,
};

/**
 * Makes this process (this test file's worker: the in-process server included) trust the
 * certificates given, as a server with a company CA installed does; returns the undo.
 * https://nodejs.org/api/tls.html#tlssetdefaultcacertificatescerts
 */
export function trustCertificates(...certs: string[]): () => void {
  const before = tls.getCACertificates('default');
  tls.setDefaultCACertificates([...before, ...certs]);
  return () => tls.setDefaultCACertificates(before);
}
