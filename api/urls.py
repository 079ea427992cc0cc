"""``/api/v1/``: the POS API, its OpenAPI schema and its docs page."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from .errors import no_such_endpoint
from .views import availability, catalog, orders, restaurants

app_name = "api"

restaurant = "restaurants/<int:pk>"

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("orders", orders.OrderList.as_view(), name="orders"),
    path("orders/<int:pk>", orders.OrderDetail.as_view(), name="order"),
    path("orders/<int:pk>/status", orders.OrderStatusView.as_view(), name="order-status"),
    path("orders/<int:pk>/driver-location", orders.DriverLocationView.as_view(), name="order-driver-location"),
    path("reservations", orders.ReservationList.as_view(), name="reservations"),
    path("reservations/<int:pk>", orders.ReservationDetail.as_view(), name="reservation"),
    path("reservations/<int:pk>/status", orders.ReservationStatusView.as_view(), name="reservation-status"),
    path("restaurants", restaurants.RestaurantList.as_view(), name="restaurants"),
    path(restaurant, restaurants.RestaurantDetail.as_view(), name="restaurant"),
    path(f"{restaurant}/connections", restaurants.ConnectionList.as_view(), name="connections"),
    path(f"{restaurant}/catalog", catalog.CatalogView.as_view(), name="catalog"),
    path(f"{restaurant}/catalog/items/<str:sku>", catalog.CatalogItemView.as_view(), name="catalog-item"),
    path(f"{restaurant}/catalog/items/<str:sku>/snooze", catalog.SnoozeView.as_view(), name="catalog-item-snooze"),
    path(f"{restaurant}/availability", availability.AvailabilityView.as_view(), name="availability"),
    path(f"{restaurant}/availability/weekly-hours", availability.WeeklyHoursView.as_view(), name="weekly-hours"),
    path(f"{restaurant}/availability/exceptions", availability.ExceptionListView.as_view(), name="exceptions"),
    path(
        f"{restaurant}/availability/exceptions/<int:exception_id>",
        availability.ExceptionDetailView.as_view(),
        name="exception",
    ),
    path(f"{restaurant}/availability/pause", availability.PauseView.as_view(), name="pause"),
    path(f"{restaurant}/availability/resume", availability.ResumeView.as_view(), name="resume"),
    re_path(r"", no_such_endpoint, name="no-such-endpoint"),  # last: whatever else is under /api/v1/
]
