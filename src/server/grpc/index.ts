/** The gRPC transport: `synap.v1.SynapService` on grpc-js. Generated types stay inside. */
export { CallAuthenticator, type CallAuthenticatorOptions } from './call-authenticator.js';
export { createGrpcServer, type GrpcServer, type GrpcServerOptions } from './grpc-server.js';
export type { StreamLimits } from './listen-stream.js';
export { grpcStatusOf, toGrpcStatus } from './status.js';
