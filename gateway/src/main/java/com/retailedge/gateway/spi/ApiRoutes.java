package com.retailedge.gateway.spi;

import io.vertx.ext.web.Router;

/**
 * A capability's own REST routes under {@code /api/v1}. Mounted after authentication, so every handler
 * already knows the caller's role; handlers answer through {@link ApiSupport} and never touch SQLite on the
 * event loop.
 */
public interface ApiRoutes {
    void mount(Router router, ApiSupport support);
}
