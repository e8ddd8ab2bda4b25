import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/**
 * SIP over TLS needs a certificate. Production names one (SIP_TLS_CERT_FILE, SIP_TLS_KEY_FILE);
 * development gets a self-signed one for the SIP domain, made once with the system's openssl and
 * kept under DATA_DIR. Terminals will warn about it, as they should.
 */
export function loadTlsCertificate(options: {
  certFile: string | undefined;
  keyFile: string | undefined;
  dataDir: string;
  domain: string;
  production: boolean;
}): { cert: string; key: string } {
  if (options.certFile && options.keyFile)
    return { cert: readFileSync(options.certFile, 'utf8'), key: readFileSync(options.keyFile, 'utf8') };
  if (options.production) throw new Error('SIP_TLS_PORT needs SIP_TLS_CERT_FILE and SIP_TLS_KEY_FILE in production');
  const dir = path.join(options.dataDir, 'secrets');
  const certFile = path.join(dir, 'sip-tls-self-signed.crt');
  const keyFile = path.join(dir, 'sip-tls-self-signed.key');
  if (!existsSync(certFile) || !existsSync(keyFile)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '365',
        '-subj',
        `/CN=${options.domain}`,
        '-addext',
        `subjectAltName=DNS:${options.domain}`,
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'ignore' },
    );
  }
  return { cert: readFileSync(certFile, 'utf8'), key: readFileSync(keyFile, 'utf8') };
}
