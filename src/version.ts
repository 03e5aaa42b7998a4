/** The package version, sent as `sdk_version` on the wire. A test keeps it equal to package.json. */
export const SDK_VERSION = '0.1.0';
