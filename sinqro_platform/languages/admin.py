from django.contrib import admin

from .models import RestaurantLanguage, UserLanguage


@admin.register(UserLanguage)
class UserLanguageAdmin(admin.ModelAdmin):
    list_display = ["user", "language"]
    list_filter = ["language"]
    search_fields = ["user__username"]
    raw_id_fields = ["user"]


@admin.register(RestaurantLanguage)
class RestaurantLanguageAdmin(admin.ModelAdmin):
    list_display = ["restaurant", "language"]
    list_filter = ["language"]
    search_fields = ["restaurant__name"]
