/** Device kinds, channels, typed device messages and rejections, and GTIN rules: plain Java, no transport, SQL or JSON. */
package com.retailedge.gateway.domain;
