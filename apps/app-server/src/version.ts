/** This package's version (kept equal to package.json by a test). */
export const APP_SERVER_VERSION = '0.1.0';
