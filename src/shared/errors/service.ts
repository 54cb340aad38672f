/** Failures of service-to-service calls (a worker calling the app without a user). */
export const serviceErrors = {
  /**
   * The shared secret was missing or wrong, or the deployment has none
   * configured (it fails closed). Thrown; it says nothing about which.
   */
  SERVICE_UNAUTHORIZED: {},
};
