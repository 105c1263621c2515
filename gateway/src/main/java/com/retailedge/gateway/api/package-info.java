/** The REST API, health, metrics and the dashboard, on Vert.x Web. */
package com.retailedge.gateway.api;
